import { PHASES, type PhaseCode, type PhaseName } from '../../core/phases.ts';
import type { Phase } from '../../core/report.ts';
import { errorMessage } from '../../core/errors.ts';


type Flag = Phase['flags'][number];

/** A phase ended in a way the report should show; `blame` says whose fault it was. */
export class PhaseFailure extends Error {
  override name = 'PhaseFailure';
  constructor(
    readonly code: PhaseCode,
    readonly blame: 'candidate' | 'harness',
    message: string,
    readonly log?: string,
    readonly flags: Flag[] = [],
  ) {
    super(message);
  }
}

/** Thrown after a failed phase is recorded, to unwind the pipeline to its cleanup. */
export class PipelineStopped extends Error {
  override name = 'PipelineStopped';
}

export interface PhaseSuccess<T> {
  value: T;
  message: string;
  log?: string;
  flags?: Flag[];
}

/**
 * Times each phase and records how it ended. A failure is recorded and then stops the
 * pipeline; `finish` marks every phase that never ran as skipped, so a report always has
 * the full list. Once the submission's global deadline has passed (`deadlinePassed`),
 * whatever failure the cut-off caused is recorded as that TIMEOUT instead.
 */
export class PhaseRecorder {
  readonly phases: Phase[] = [];

  constructor(
    private readonly deadlinePassed: () => string | null = () => null,
    /** Told when each phase starts, for progress displays. */
    private readonly onPhase: (name: PhaseName) => void = () => undefined,
  ) {}

  async run<T>(name: PhaseName, step: () => Promise<PhaseSuccess<T>>): Promise<T> {
    this.onPhase(name);
    const started = performance.now();
    const elapsed = () => Math.round(performance.now() - started);
    let failure: PhaseFailure;
    let cause: unknown;
    try {
      const success = await step();
      const overdue = this.deadlinePassed();
      if (overdue === null) {
        this.phases.push({
          name,
          status: 'ok',
          code: 'OK',
          durationMs: elapsed(),
          message: success.message,
          flags: success.flags ?? [],
          ...(success.log !== undefined ? { log: success.log } : {}),
        });
        return success.value;
      }
      failure = new PhaseFailure('TIMEOUT', 'candidate', `${overdue} during ${name}`);
    } catch (error) {
      cause = error;
      const overdue = this.deadlinePassed();
      failure =
        overdue !== null
          ? new PhaseFailure('TIMEOUT', 'candidate', `${overdue} during ${name}`, error instanceof PhaseFailure ? error.log : undefined)
          : error instanceof PhaseFailure
            ? error
            : new PhaseFailure('HARNESS_ERROR', 'harness', `harness error during ${name}: ${errorMessage(error)}`);
    }
    this.phases.push({
      name,
      status: 'failed',
      code: failure.code,
      blame: failure.blame,
      durationMs: elapsed(),
      message: failure.message,
      flags: failure.flags,
      ...(failure.log !== undefined ? { log: failure.log } : {}),
    });
    throw new PipelineStopped(failure.message, { cause });
  }

  failed(): Phase | undefined {
    return this.phases.find((phase) => phase.status === 'failed');
  }

  finish(): Phase[] {
    const reason = this.failed();
    for (const name of PHASES) {
      if (this.phases.some((phase) => phase.name === name)) continue;
      this.phases.push({
        name,
        status: 'skipped',
        code: 'SKIPPED',
        durationMs: 0,
        message: reason ? `skipped: ${reason.name} failed` : 'skipped',
        flags: [],
      });
    }
    return this.phases.sort((a, b) => PHASES.indexOf(a.name) - PHASES.indexOf(b.name));
  }
}
