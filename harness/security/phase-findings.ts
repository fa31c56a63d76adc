import type { CheckResult, Phase } from '../../core/report.ts';
import type { Finding } from '../../core/security.ts';
import { DISK_FULL } from '../results/describe-exit.ts';
const MAX_LINES = 5;

function matchingLines(log: string | undefined, pattern: RegExp): string[] {
  return (log ?? '').split('\n').filter((line) => pattern.test(line)).slice(0, MAX_LINES).map((line) => line.slice(0, 240));
}

/**
 * Findings the phases already recorded in their own terms: the output cap (a flag), a
 * full workspace or /tmp (a flag, or ENOSPC in the log), an OOM kill that ended a phase.
 * Pure: the report is enough to recompute them.
 */
export function phaseFindings(phases: readonly Phase[]): Finding[] {
  const findings: Finding[] = [];
  const flooded = phases.filter((phase) => phase.flags.includes('OUTPUT_TRUNCATED'));
  if (flooded.length > 0) {
    findings.push({
      kind: 'output-cap',
      severity: 'warning',
      where: flooded[0]!.name,
      summary: `output went past what the harness keeps in ${flooded.map((phase) => phase.name).join(', ')}: only its head and tail are in the report`,
      evidence: flooded.map((phase) => `${phase.name}: log truncated (${(phase.log ?? '').length} characters kept)`),
    });
  }
  const full = phases.filter((phase) => phase.flags.includes('WORKSPACE_FULL') || DISK_FULL.test(phase.log ?? ''));
  if (full.length > 0) {
    findings.push({
      kind: 'disk-cap',
      severity: 'warning',
      where: full[0]!.name,
      summary: `writes stopped at the workspace or /tmp cap in ${full.map((phase) => phase.name).join(', ')}`,
      evidence: full.flatMap((phase) => matchingLines(phase.log, DISK_FULL).map((line) => `${phase.name}: ${line}`)).slice(0, MAX_LINES * 2),
    });
  }
  for (const phase of phases.filter((entry) => entry.code === 'OOM_KILLED')) {
    findings.push({ kind: 'oom-kill', severity: 'warning', where: phase.name, summary: `the ${phase.name} phase ended in an OOM kill: ${phase.message}`, evidence: [phase.message] });
  }
  return findings;
}

/**
 * The error-handling check that looks for stack traces and paths, cross-listed: the same
 * evidence, now read as information exposure (CWE-209).
 */
export function leakFindings(checks: readonly CheckResult[]): Finding[] {
  return checks
    .filter((check) => check.id === 'error_handling.no-leaks' && check.status === 'fail')
    .map((check) => ({
      kind: 'leaks-internals' as const,
      severity: 'warning' as const,
      where: check.id,
      summary: `error responses expose internals: ${check.message}`,
      evidence: check.evidence.slice(0, MAX_LINES).map((entry) => [entry.request ? `${entry.request.method} ${entry.request.path}` : '', entry.response ? `→ ${entry.response.status} ${entry.response.body.slice(0, 200)}` : '', entry.note ?? ''].filter(Boolean).join(' ')),
    }));
}
