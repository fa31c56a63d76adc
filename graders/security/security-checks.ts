import type { Blame } from '../../core/phases.ts';
import type { CheckResult, Evidence, Tier } from '../../core/report.ts';
import type { Finding, FindingKind, Security } from '../../core/security.ts';
import type { CheckOutcome } from '../check.ts';

/** A check judged by the harness from the grading's findings, after every phase (like resources.peak-memory). */
export interface SecurityCheckDefinition {
  id: string;
  area: 'security';
  tier: Tier;
  title: string;
  points: number;
  standard: string;
  accepted: string;
  evaluate(security: Security, checks: readonly CheckResult[]): SecurityOutcome;
}

/** `applies: false` when the harness could not watch what the check reads: out of the maximum, no fault of the candidate. */
export type SecurityOutcome = CheckOutcome & { evidence: Evidence[]; applies?: boolean; blame?: Blame };

function evidenceOf(findings: readonly Finding[]): Evidence[] {
  return findings.map((finding) => ({ note: `[${finding.severity}] ${finding.where}: ${finding.summary}${finding.evidence.length > 0 ? `\n${finding.evidence.join('\n')}` : ''}` }));
}

function judgeKinds(security: Security, kinds: readonly FindingKind[], clean: string): SecurityOutcome {
  const found = security.findings.filter((finding) => kinds.includes(finding.kind));
  // A clean verdict carries what was looked at, so a reviewer can tell how much it is worth.
  if (found.length === 0) return { status: 'pass', message: clean, evidence: [{ note: `no ${kinds.join(' / ')} finding; watched: ${security.watched.join('; ') || 'nothing'}` }] };
  return { status: 'fail', message: found.map((finding) => finding.summary).join('; '), evidence: evidenceOf(found) };
}

/**
 * The security area: each check reads one family of findings. Findings are facts the
 * sandbox saw; these checks turn them into a signal (or, when the assignment says so, a
 * must). A family nobody watched is a skip that says so, never a pass.
 */
export function securityChecks(options: { tier: Tier; points: number }): SecurityCheckDefinition[] {
  const base = { area: 'security' as const, tier: options.tier, points: options.points };
  return [
    {
      ...base,
      id: 'security.no-egress-attempts',
      title: 'Install and build reach only the package registries',
      standard: 'Sandbox policy: install and build reach the allowlisted registries through the harness proxy; nothing else',
      accepted: 'no connection or DNS lookup refused by the egress proxy during install and build',
      evaluate(security) {
        const watched = security.watched.some((line) => line.startsWith('egress'));
        if (!watched) return { status: 'skip', applies: false, message: 'not watched: install and build egress did not go through the allowlisting proxy in this grading', evidence: [] };
        return judgeKinds(security, ['egress-denied'], 'no refused connection or lookup: install and build reached only the allowlisted hosts');
      },
    },
    {
      ...base,
      id: 'security.within-limits',
      title: 'Stays within the sandbox limits (processes, memory, output, disk)',
      standard: 'Sandbox policy: the limits are generous for a service of this size; reaching one is a fork bomb, a leak or a flood',
      accepted: 'no fork refused at the pids limit, no OOM kill, output under the log cap, writes under the workspace and /tmp caps, in every container the grading ran',
      evaluate(security) {
        return judgeKinds(security, ['pids-limit', 'oom-kill', 'output-cap', 'disk-cap'], 'no limit reached in any container the grading ran');
      },
    },
    {
      ...base,
      id: 'security.no-internal-leaks',
      title: 'Error responses expose no internals (cross-listed from error handling)',
      standard: 'OWASP API8:2023; CWE-209 (information exposure through error messages)',
      accepted: 'error_handling.no-leaks passed: no stack frame, module path or absolute path in any error body',
      evaluate(security, checks) {
        const source = checks.find((check) => check.id === 'error_handling.no-leaks');
        if (!source) return { status: 'skip', applies: false, message: 'not judged: error_handling.no-leaks is not in this assignment', evidence: [] };
        if (source.status === 'not_run' || source.status === 'error') {
          return { status: 'not_run', message: `not judged: error_handling.no-leaks ended ${source.status} (${source.message})`, evidence: [], blame: source.blame ?? 'harness' };
        }
        if (source.status === 'skip') return { status: 'skip', applies: source.applies, message: `not judged: error_handling.no-leaks was skipped (${source.message})`, evidence: [] };
        return judgeKinds(security, ['leaks-internals'], 'no internals in the error bodies error_handling.no-leaks provoked');
      },
    },
  ];
}

/**
 * Signals without points by default: what a submission tried informs the reviewer (the
 * rubric, the interview) and never moves the score on its own; a clean record earns nothing
 * either, so a submission that never started does not score for having done no harm.
 */
export const SECURITY_SCORING: { tier: Tier; points: number } = { tier: 'signal', points: 0 };

/** The ids of the security checks, for report ordering and manifest validation. */
export const SECURITY_CHECK_IDS: readonly string[] = securityChecks(SECURITY_SCORING).map((check) => check.id);
