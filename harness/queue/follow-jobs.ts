import type { Queue } from 'bullmq';
import { phaseNameSchema, type PhaseName } from '../../core/phases.ts';
import type { BatchEvent } from '../batch/run-batch.ts';
import { queueStatus, type QueueStatus } from './queue-status.ts';

/** Where one job stands, as `grader batch` reports a row. */
type Standing = { kind: 'waiting' } | { kind: 'running'; phase: string | null } | { kind: 'done' } | { kind: 'failed' };

/**
 * The progress events between two readings of the queue, for the jobs of one batch: a
 * row is told when it starts waiting, changes phase, ends. Pure, so the terminal view of
 * `grader batch --queue` is the same as `grader batch`'s.
 */
export function batchEvents(status: QueueStatus, keys: ReadonlyMap<string, string>, seen: Map<string, string>, startedAt: number, now: number): BatchEvent[] {
  const events: BatchEvent[] = [];
  const standing = new Map<string, Standing>();
  for (const job of status.waiting) standing.set(job.key, { kind: 'waiting' });
  for (const job of status.running) standing.set(job.key, { kind: 'running', phase: job.phase });
  for (const job of status.done) standing.set(job.key, { kind: 'done' });
  for (const job of status.failed) standing.set(job.key, { kind: 'failed' });
  for (const [key, candidate] of keys) {
    const now_ = standing.get(key);
    if (!now_) continue;
    const token = now_.kind === 'running' ? `running:${now_.phase ?? ''}` : now_.kind;
    if (seen.get(key) === token) continue;
    seen.set(key, token);
    const elapsedMs = now - startedAt;
    if (now_.kind === 'waiting') events.push({ kind: 'queued', candidate });
    else if (now_.kind === 'running') {
      const phase = now_.phase;
      if (phase && isPhase(phase)) events.push({ kind: 'phase', candidate, phase, elapsedMs });
    } else if (now_.kind === 'done') {
      const done = status.done.find((job) => job.key === key);
      events.push({ kind: 'done', candidate, elapsedMs, score: done?.score ?? '?', gradable: done?.gradable ?? false });
    } else {
      events.push({ kind: 'failed', candidate, elapsedMs, message: status.failed.find((job) => job.key === key)?.reason ?? 'failed' });
    }
  }
  return events;
}

/** A worker reports its own states too ("waiting-for-engine"); only grading phases are rows' progress. */
function isPhase(phase: string): phase is PhaseName {
  return phaseNameSchema.safeParse(phase).success;
}

/**
 * Follows a batch's jobs until each is done or failed, reporting progress; says once
 * when nothing has been picked up for a while (no worker running is the usual cause).
 */
export async function followJobs(
  queue: Queue,
  keys: ReadonlyMap<string, string>,
  onEvent: (event: BatchEvent) => void,
  options: { pollMs?: number; idleHintMs?: number; onIdle?: () => void } = {},
): Promise<void> {
  const startedAt = Date.now();
  const seen = new Map<string, string>();
  let lastMove = Date.now();
  let hinted = false;
  for (;;) {
    const status = await queueStatus(queue);
    const events = batchEvents(status, keys, seen, startedAt, Date.now());
    events.forEach(onEvent);
    if (events.length > 0 || status.running.some((job) => keys.has(job.key))) lastMove = Date.now();
    const finished = [...keys.keys()].every((key) => status.done.some((job) => job.key === key) || status.failed.some((job) => job.key === key));
    if (finished) return;
    if (!hinted && Date.now() - lastMove > (options.idleHintMs ?? 30_000)) {
      hinted = true;
      options.onIdle?.();
    }
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 1_000));
  }
}
