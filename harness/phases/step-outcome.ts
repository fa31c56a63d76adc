import type { PhaseCode } from '../../core/phases.ts';
import type { StepRun } from '../../sandbox/sandbox-job.ts';
import { PhaseFailure } from './phase-recorder.ts';

export function truncatedFlag(truncated: boolean): Array<'OUTPUT_TRUNCATED'> {
  return truncated ? ['OUTPUT_TRUNCATED'] : [];
}

/**
 * A build step that timed out, ran out of memory or exited non-zero is the candidate's
 * failure, unless the egress proxy refused it something on the way: then the sandbox's
 * allowlist may be what broke it (a git dependency, a private registry), and the phase
 * says which hosts and how to allow them instead of scoring the candidate.
 */
export function assertStepSucceeded(run: StepRun, code: Extract<PhaseCode, 'INSTALL_FAILED' | 'BUILD_FAILED'>, command: string, deadlineS: number): void {
  const { exit, log } = run;
  const flags = truncatedFlag(run.logTruncated);
  const refused = [...new Set((run.egressDenied?.attempts ?? []).map((attempt) => `${attempt.host}:${attempt.port}`))];
  if (refused.length > 0 && (exit.timedOut || exit.exitCode !== 0)) {
    const how = exit.timedOut ? `did not finish within ${deadlineS} s` : `exited with code ${exit.exitCode}`;
    throw new PhaseFailure(code, 'harness', `${command} ${how} after the egress proxy refused ${refused.slice(0, 5).join(', ')}${refused.length > 5 ? ` and ${refused.length - 5} more` : ''}: if the submission needs them, allow them (the assignment's egress.allow or GRADER_EGRESS_ALLOW) and grade again`, log, flags);
  }
  if (exit.timedOut) throw new PhaseFailure('TIMEOUT', 'candidate', `${command} did not finish within ${deadlineS} s`, log, flags);
  if (exit.oomKilled) throw new PhaseFailure('OOM_KILLED', 'candidate', `${command} was killed for exceeding its memory limit`, log, flags);
  if (exit.exitCode !== 0) throw new PhaseFailure(code, 'candidate', `${command} exited with code ${exit.exitCode}`, log, flags);
}
