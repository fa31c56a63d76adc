import type { Finding } from '../core/security.ts';
import type { LimitObservation } from './security/limit-findings.ts';
import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { PhaseName } from '../core/phases.ts';
import type { CheckResult, RepoSignals, Report } from '../core/report.ts';
import type { PackPlan } from '../sandbox/copy/pack-directory.ts';
import type { ResolvedImage } from '../sandbox/image/resolve-image.ts';
import type { SandboxRuntime } from '../sandbox/runtime/sandbox-runtime.ts';
import type { SandboxJob } from '../sandbox/sandbox-job.ts';
import type { Toolchain } from '../sandbox/toolchains/toolchain.ts';
import type { Assignment } from './assignment/load-assignment.ts';
import { PhaseRecorder, type PhaseSuccess } from './phases/phase-recorder.ts';
import { QueueClock } from './phases/queue-clock.ts';
import type { SubmissionOverrides } from './plan/submission-overrides.ts';
import type { SharingMode } from './plan/instance-runs.ts';
import type { GradingPlan } from './plan/plan-grading.ts';
import { onShutdown } from './shutdown.ts';
import type { SubmissionSource } from './source/resolve-source.ts';

export type { SubmissionOverrides } from './plan/submission-overrides.ts';

export interface GradeRequest {
  source: string;
  ref: string | null;
  assignment: Assignment;
  /** Host CA bundle handed to the install step so it can reach the registry. */
  caBundlePath?: string | null;
  /** Share the toolchain's dependency cache volumes across installs (default true). */
  sharedCaches?: boolean;
  /** The candidate's deadline (ISO 8601): commits after it are counted. */
  deadline?: string | null;
  overrides?: SubmissionOverrides;
  /** 'all-fresh' gives every check an instance of its own (the proof that sharing by need changes no verdict). */
  sharing?: SharingMode;
}

export interface GradeDeps {
  runtime: SandboxRuntime;
  logger: Logger;
  /** Called as each phase starts (progress displays). */
  onPhase?: (phase: PhaseName) => void;
}

/** Everything the phases learn that the report states; filled in as they go. */
export interface ReportFacts {
  engine: { version: string | null; ncpu: number; cpusets: { candidate?: string; prober?: string } } | null;
  image: ResolvedImage | null;
  source: SubmissionSource | null;
  pack: PackPlan | null;
  toolchain: { toolchain: Toolchain; because: string } | null;
  start: { command: string; from: string } | null;
  /** $PORT, and where the server answered (another port when it ignores $PORT). */
  port: { expected: number; actual: number } | null;
  repo: RepoSignals | null;
  load: Report['load'];
  results: CheckResult[];
  resources: Report['resources'];
  /** What the sandbox saw the submission do (security area); each observer adds its own. */
  findings: Finding[];
  /** What was watched for findings, so a clean list is told from an unwatched one. */
  watched: Set<string>;
  /** The submission's web framework family ("node/express"), what throughput is compared within. */
  family: string | null;
  /** Each container's cgroup limit counters (forks refused, OOM kills), where it ran. */
  limits: LimitObservation[];
}

/**
 * One grading in progress: its id, plan, phase recorder, the facts for its report, and
 * what must be cleaned up however it ends (the sandbox job, a clone). One deadline covers
 * the whole grading: when it passes, every container is removed and the running phase is
 * recorded as TIMEOUT. That deadline counts the grading's own time: a wait for the machine
 * (behind other gradings' load probes) moves it back.
 */
export class GradingRun {
  readonly jobId = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  readonly startedAt = new Date();
  readonly log: Logger;
  readonly recorder: PhaseRecorder;
  readonly facts: ReportFacts = { engine: null, image: null, source: null, pack: null, toolchain: null, start: null, port: null, repo: null, load: null, results: [], resources: [], findings: [], watched: new Set(), limits: [], family: null };
  /** Time queued for the machine, which no deadline of the grading counts. */
  readonly clock = new QueueClock();
  private job: SandboxJob | null = null;
  private overdue: string | null = null;
  private timer: NodeJS.Timeout;
  private readonly unregister: () => void;

  constructor(
    readonly request: GradeRequest,
    readonly deps: GradeDeps,
    readonly plan: GradingPlan,
  ) {
    const { manifest } = request.assignment;
    this.log = deps.logger.child({ jobId: this.jobId, assignment: manifest.id });
    this.recorder = new PhaseRecorder(() => this.overdue, deps.onPhase);
    const start = this.clock.mark();
    const totalMs = manifest.deadlines.total * 1000;
    const expire = () => {
      const left = totalMs - this.clock.workedSince(start);
      if (left > 0 || this.clock.isQueued) {
        this.timer = setTimeout(expire, Math.max(left, 1000));
        return;
      }
      this.overdue = `TIMEOUT: the ${manifest.deadlines.total} s deadline for the whole grading passed`;
      void this.job?.dispose();
    };
    this.timer = setTimeout(expire, totalMs);
    this.unregister = onShutdown(() => this.release());
  }

  get manifest() {
    return this.request.assignment.manifest;
  }

  /** Labels on engine objects outlive a crashed harness by this long, then the reaper takes them. */
  get ttlMs(): number {
    return (this.manifest.deadlines.total + 600) * 1000;
  }

  phase<T>(name: PhaseName, step: () => Promise<PhaseSuccess<T>>): Promise<T> {
    return this.recorder.run(name, step);
  }

  /** The sandbox job is disposed of whatever happens next (deadline, interrupt, close). */
  adopt(job: SandboxJob): SandboxJob {
    this.job = job;
    return job;
  }

  async close(): Promise<void> {
    clearTimeout(this.timer);
    this.unregister();
    await this.release();
  }

  private async release(): Promise<void> {
    await this.job?.dispose().catch((error: unknown) => this.log.warn({ err: error }, 'cleanup failed'));
    await this.facts.source?.cleanup().catch(() => undefined);
  }
}
