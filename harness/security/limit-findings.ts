import type { Finding } from '../../core/security.ts';

/** What one container's cgroup counted (see sandbox/container/limit-watch.ts), and where it ran. */
export interface LimitObservation {
  /** A phase name, or an instance label ("relaxed instance", "load instance"). */
  where: string;
  pidsRefused: number | null;
  oomKills: number | null;
}

/**
 * One finding per limit that was hit, listing every container that hit it: a fork bomb
 * at start-up trips the limit in each instance the grading starts, and that is one fact,
 * not seventeen.
 */
export function limitFindings(observations: readonly LimitObservation[], limits: { pids: number; memoryMb: number }): Finding[] {
  const findings: Finding[] = [];
  const forks = observations.filter((entry) => (entry.pidsRefused ?? 0) > 0);
  if (forks.length > 0) {
    const total = forks.reduce((sum, entry) => sum + (entry.pidsRefused ?? 0), 0);
    findings.push({
      kind: 'pids-limit',
      severity: 'warning',
      where: forks[0]!.where,
      summary: `the process limit (${limits.pids}) was reached: the kernel refused ${total} fork${total === 1 ? '' : 's'} in ${forks.length} container${forks.length === 1 ? '' : 's'}`,
      evidence: forks.map((entry) => `${entry.where}: ${entry.pidsRefused} forks refused (cgroup pids.events "max")`),
      count: total,
    });
  }
  const ooms = observations.filter((entry) => (entry.oomKills ?? 0) > 0);
  if (ooms.length > 0) {
    const total = ooms.reduce((sum, entry) => sum + (entry.oomKills ?? 0), 0);
    findings.push({
      kind: 'oom-kill',
      severity: 'warning',
      where: ooms[0]!.where,
      summary: `the memory limit (${limits.memoryMb} MiB) was hit: the kernel killed ${total} process${total === 1 ? '' : 'es'} in ${ooms.length} container${ooms.length === 1 ? '' : 's'}`,
      evidence: ooms.map((entry) => `${entry.where}: ${entry.oomKills} OOM kill${entry.oomKills === 1 ? '' : 's'} (cgroup memory events "oom_kill")`),
      count: total,
    });
  }
  return findings;
}

/** Adds one container's counters to the grading's observations (nothing when the engine gave none). */
export function observeLimits(into: LimitObservation[], where: string, counters: { pidsRefused: number | null; oomKills: number | null } | null): void {
  if (counters) into.push({ where, pidsRefused: counters.pidsRefused, oomKills: counters.oomKills });
}
