import type { Report } from '../../core/report.ts';

export type GradingOutcome =
  /** Store the report as the job's result (an ungradable one too, once retries are spent). */
  | { kind: 'done' }
  /** A harness or engine fault: grade again, elsewhere if possible. */
  | { kind: 'retry'; reason: string }
  /** Nothing to grade (the repository could not be fetched): failed with why, never retried. */
  | { kind: 'not-graded'; reason: string };

/**
 * What a worker does with a finished grading. An ungradable report is the harness's or the
 * engine's failure, never the candidate's: it is graded again while attempts remain, and
 * stored as it is after the last one, so `queue results` still shows what went wrong.
 */
export function gradingOutcome(report: Pick<Report, 'gradable' | 'phases'>, attemptsMade: number, maxAttempts: number): GradingOutcome {
  const fetch = report.phases.find((phase) => phase.name === 'fetch');
  if (fetch?.code === 'CLONE_FAILED') return { kind: 'not-graded', reason: `not graded: ${fetch.message}` };
  if (report.gradable) return { kind: 'done' };
  const fault = report.phases.find((phase) => phase.blame === 'harness') ?? report.phases.find((phase) => phase.status === 'failed');
  const reason = fault ? `${fault.name}: ${fault.code}: ${fault.message}` : 'the harness could not grade it';
  return attemptsMade + 1 < maxAttempts ? { kind: 'retry', reason } : { kind: 'done' };
}
