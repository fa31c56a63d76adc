import type { CheckResult, Phase } from '../../core/report.ts';
import { SEVERITIES, type Finding, type Security } from '../../core/security.ts';
import { limitFindings, type LimitObservation } from './limit-findings.ts';
import { leakFindings, phaseFindings } from './phase-findings.ts';

/**
 * The report's security section from everything the grading observed: what observers
 * recorded as they went (denied egress, install scripts), the cgroups' counters, what the
 * phases flagged, and the leak check cross-listed. Most serious first. Pure.
 */
export function securitySection(input: {
  recorded: readonly Finding[];
  watched: ReadonlySet<string>;
  limits: readonly LimitObservation[];
  sandboxLimits: { pids: number; memoryMb: number };
  phases: readonly Phase[];
  checks: readonly CheckResult[];
}): Security {
  const fromLimits = limitFindings(input.limits, input.sandboxLimits);
  // An OOM kill the cgroup counted is the same fact as the phase that ended in OOM_KILLED.
  const fromPhases = phaseFindings(input.phases).filter((finding) => finding.kind !== 'oom-kill' || !fromLimits.some((other) => other.kind === 'oom-kill'));
  const findings = [...input.recorded, ...fromLimits, ...fromPhases, ...leakFindings(input.checks)];
  const rank = (finding: Finding) => SEVERITIES.length - SEVERITIES.indexOf(finding.severity);
  const watched = [
    ...input.watched,
    ...(input.limits.some((entry) => entry.pidsRefused !== null) ? ["the cgroups' pids and memory events of every container (read from the host about once a second)"] : []),
    'output and disk caps (the phases\' flags and logs)',
    ...(input.checks.some((check) => check.id === 'error_handling.no-leaks') ? ['error bodies for internals (error_handling.no-leaks)'] : []),
  ];
  return { findings: [...findings].sort((a, b) => rank(a) - rank(b)), watched };
}
