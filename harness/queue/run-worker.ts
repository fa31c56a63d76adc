import { hostname } from 'node:os';
import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions, type Job } from 'bullmq';
import type { Logger } from 'pino';
import { HarnessError, UsageError, errorMessage, formatZodIssues } from '../../core/errors.ts';
import { reapLeftovers } from '../../sandbox/reaper.ts';
import { loadAssignment, type Assignment } from '../assignment/load-assignment.ts';
import { loadLockScope } from '../engines/engine-pool.ts';
import type { PoolEngine } from '../engines/pool-runtimes.ts';
import { warmImages } from '../engines/warm-images.ts';
import { withEngineScope } from '../machine-lock.ts';
import { gradeSubmission } from '../pipeline.ts';
import { isShuttingDown } from '../shutdown.ts';
import { DEFAULT_QUEUE } from './grading-queue.ts';
import { gradingOutcome } from './grading-outcome.ts';
import { jobPayloadSchema, type JobProgress, type JobResult } from './job-payload.ts';
import { leaseSettings } from './lease.ts';
import { pickEngine, workerConcurrency, type EngineSlots } from './pick-engine.ts';
import { redisOptions } from './redis-connection.ts';

export type WorkerEvent =
  | { kind: 'engine'; engine: string; healthy: boolean; detail: string }
  | { kind: 'picked'; key: string; candidate: string; engine: string; attempt: number; waitedMs: number }
  | { kind: 'done'; key: string; candidate: string; engine: string; score: string; gradable: boolean; elapsedMs: number }
  | { kind: 'retry'; key: string; candidate: string; engine: string; reason: string }
  | { kind: 'failed'; key: string; candidate: string; reason: string }
  | { kind: 'reaped'; engine: string; count: number };

export interface WorkerOptions {
  redisUrl: string;
  queue?: string;
  leaseMs: number;
  engines: PoolEngine[];
  logger: Logger;
  onEvent: (event: WorkerEvent) => void;
}

export interface RunningWorker {
  name: string;
  /** Stops taking jobs; running gradings are left to the lease (another worker retries them). */
  close(): Promise<void>;
}

/**
 * Takes gradings off the queue and runs each entirely on one engine of the pool, as many
 * at once as the healthy engines have slots. Every lease it probes engines that failed and
 * reaps what dead harness processes (a killed worker) left on each engine.
 */
export async function runWorker(options: WorkerOptions): Promise<RunningWorker> {
  const name = `${hostname()}:${process.pid}`;
  const lease = leaseSettings(options.leaseMs);
  const slots: EngineSlots[] = options.engines.map((engine) => ({ name: engine.config.name, slots: engine.config.slots, busy: 0, healthy: false }));
  const byName = new Map(options.engines.map((engine) => [engine.config.name, engine]));
  const assignments = new Map<string, Promise<Assignment>>();

  const checkEngine = async (engine: PoolEngine, ledger: EngineSlots): Promise<void> => {
    const status = await engine.runtime.probe();
    if (status.reachable !== ledger.healthy) options.onEvent({ kind: 'engine', engine: ledger.name, healthy: status.reachable, detail: status.reachable ? `Docker ${status.version ?? '?'} at ${status.endpoint}, ${status.ncpu} CPUs` : (status.error ?? 'unreachable') });
    ledger.healthy = status.reachable;
    if (!status.reachable) return;
    const removed = await reapLeftovers(engine.runtime).catch((error: unknown) => {
      options.logger.warn({ err: error, engine: ledger.name }, 'reaping leftovers failed');
      return null;
    });
    const count = removed ? removed.containers + removed.volumes : 0;
    if (count > 0) options.onEvent({ kind: 'reaped', engine: ledger.name, count });
  };
  const maintain = async () => {
    await Promise.all(options.engines.map((engine, index) => checkEngine(engine, slots[index] as EngineSlots)));
  };
  await maintain();

  const processor = async (job: Job, token?: string): Promise<JobResult> => {
    const parsed = jobPayloadSchema.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(formatZodIssues(parsed.error, `job ${job.id}`));
    const data = parsed.data;
    const engineName = pickEngine(slots, data.failedOn);
    if (engineName === null) {
      // Only the engine this job just failed on is free: give a healthy other one a moment.
      await job.moveToDelayed(Date.now() + 2_000, token);
      throw new DelayedError();
    }
    const engine = byName.get(engineName) as PoolEngine;
    const ledger = slots.find((entry) => entry.name === engineName) as EngineSlots;
    ledger.busy += 1;
    const pickedAt = Date.now();
    options.onEvent({ kind: 'picked', key: data.key, candidate: data.candidate, engine: engineName, attempt: job.attemptsStarted, waitedMs: pickedAt - job.timestamp });
    const progress = (phase: JobProgress['phase']) => {
      const value: JobProgress = { engine: engineName, worker: name, phase, phaseAt: Date.now(), pickedAt };
      void job.updateProgress(value).catch(() => undefined);
    };
    try {
      progress('waiting-for-engine');
      let loading = assignments.get(data.assignment.spec);
      if (!loading) assignments.set(data.assignment.spec, (loading = loadAssignment(data.assignment.spec)));
      const assignment = await loading.catch((error: unknown) => {
        assignments.delete(data.assignment.spec);
        throw new UnrecoverableError(`assignment ${data.assignment.spec}: ${errorMessage(error)}`);
      });
      if (assignment.manifest.version !== data.assignment.version) {
        throw new UnrecoverableError(`queued for ${data.assignment.id} v${data.assignment.version}, but this worker has v${assignment.manifest.version}`);
      }
      await warmImages(engine.runtime, assignment);
      const grade = () =>
        gradeSubmission(
          { source: data.source, ref: data.ref, assignment, deadline: data.deadline, overrides: data.overrides },
          { runtime: engine.runtime, logger: options.logger.child({ candidate: data.candidate, key: data.key, engine: engineName }), onPhase: progress },
        );
      const scope = loadLockScope(engine.config);
      let report;
      try {
        report = scope === null ? await grade() : await withEngineScope(scope, grade);
      } catch (error) {
        if (error instanceof UsageError) throw new UnrecoverableError(errorMessage(error));
        throw error;
      }
      // Cut short by SIGINT/SIGTERM: no result; the lease runs out and another worker grades it.
      if (isShuttingDown()) await new Promise(() => undefined);
      const outcome = gradingOutcome(report, job.attemptsMade, job.opts.attempts ?? 1);
      if (outcome.kind === 'not-graded') throw new UnrecoverableError(outcome.reason);
      if (outcome.kind === 'retry') throw new HarnessError(outcome.reason);
      const finishedAt = Date.now();
      options.onEvent({ kind: 'done', key: data.key, candidate: data.candidate, engine: engineName, score: `${report.score.points}/${report.score.max}`, gradable: report.gradable, elapsedMs: finishedAt - pickedAt });
      return { report, engine: engineName, worker: name, pickedAt, finishedAt, attempt: Math.max(1, job.attemptsStarted) };
    } catch (error) {
      if (error instanceof UnrecoverableError || error instanceof DelayedError) {
        if (error instanceof UnrecoverableError) options.onEvent({ kind: 'failed', key: data.key, candidate: data.candidate, reason: error.message });
        throw error;
      }
      // A harness error or an engine that failed: the retry should go to another engine,
      // and this one takes no more jobs until it answers a probe again.
      options.onEvent({ kind: 'retry', key: data.key, candidate: data.candidate, engine: engineName, reason: errorMessage(error) });
      await job.updateData({ ...data, failedOn: [...new Set([...data.failedOn, engineName])] }).catch(() => undefined);
      await checkEngine(engine, ledger).catch(() => undefined);
      resize();
      throw error;
    } finally {
      ledger.busy -= 1;
    }
  };

  const worker = new Worker(options.queue ?? DEFAULT_QUEUE, processor, {
    connection: redisOptions(options.redisUrl) as ConnectionOptions,
    concurrency: Math.max(1, workerConcurrency(slots)),
    autorun: false,
    ...lease,
  });
  worker.on('error', (error) => options.logger.warn({ err: error }, 'worker error'));
  const resize = () => {
    const wanted = workerConcurrency(slots);
    if (wanted === 0) {
      if (!worker.isPaused()) worker.pause(true).catch(() => undefined);
      return;
    }
    worker.concurrency = wanted;
    if (worker.isPaused()) worker.resume();
  };
  resize();
  const timer = setInterval(() => {
    void maintain().then(resize, (error: unknown) => options.logger.warn({ err: error }, 'engine check failed'));
  }, options.leaseMs);
  void worker.run().catch((error: unknown) => options.logger.error({ err: error }, 'worker stopped'));
  return {
    name,
    close: async () => {
      clearInterval(timer);
      await worker.close(true);
    },
  };
}
