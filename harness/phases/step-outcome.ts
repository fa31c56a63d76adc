import type { PhaseCode } from '../../core/phases.ts';
import type { StepRun } from '../../sandbox/sandbox-job.ts';
import { PhaseFailure } from './phase-recorder.ts';

export function truncatedFlag(truncated: boolean): Array<'OUTPUT_TRUNCATED'> {
  return truncated ? ['OUTPUT_TRUNCATED'] : [];
}

/** A build step that timed out, ran out of memory or exited non-zero is the candidate's failure. */
export function assertStepSucceeded(run: StepRun, code: Extract<PhaseCode, 'INSTALL_FAILED' | 'BUILD_FAILED'>, command: string, deadlineS: number): void {
  const { exit, log } = run;
  const flags = truncatedFlag(run.logTruncated);
  if (exit.timedOut) throw new PhaseFailure('TIMEOUT', 'candidate', `${command} did not finish within ${deadlineS} s`, log, flags);
  if (exit.oomKilled) throw new PhaseFailure('OOM_KILLED', 'candidate', `${command} was killed for exceeding its memory limit`, log, flags);
  if (exit.exitCode !== 0) throw new PhaseFailure(code, 'candidate', `${command} exited with code ${exit.exitCode}`, log, flags);
}
