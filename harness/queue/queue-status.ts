import type { Job, Queue } from 'bullmq';
import { jobPayloadSchema, jobProgressSchema, jobResultSchema } from './job-payload.ts';

export interface QueueStatus {
  waiting: Array<{ candidate: string; key: string; waitedMs: number; retry: boolean }>;
  running: Array<{ candidate: string; key: string; engine: string | null; worker: string | null; phase: string | null; elapsedMs: number; phaseMs: number | null }>;
  done: Array<{ candidate: string; key: string; score: string; gradable: boolean; engine: string; attempt: number; waitedMs: number }>;
  failed: Array<{ candidate: string; key: string; reason: string; attempts: number }>;
  /** Jobs whose stored data this harness cannot read (another version, edited by hand). */
  unreadable: Array<{ key: string; reason: string }>;
}

/** Everything in the queue, read back through the job schemas. */
export async function queueStatus(queue: Queue, now = Date.now()): Promise<QueueStatus> {
  const [waiting, active, completed, failed] = await Promise.all([
    queue.getJobs(['waiting', 'delayed', 'prioritized', 'paused'], 0, -1, true),
    queue.getJobs(['active'], 0, -1, true),
    queue.getJobs(['completed'], 0, -1, true),
    queue.getJobs(['failed'], 0, -1, true),
  ]);
  const status: QueueStatus = { waiting: [], running: [], done: [], failed: [], unreadable: [] };
  const payload = (job: Job) => {
    const parsed = jobPayloadSchema.safeParse(job.data);
    if (!parsed.success) status.unreadable.push({ key: job.id ?? '?', reason: parsed.error.issues[0]?.message ?? 'unreadable' });
    return parsed.success ? parsed.data : null;
  };
  for (const job of waiting) {
    const data = payload(job);
    if (data) status.waiting.push({ candidate: data.candidate, key: data.key, waitedMs: now - job.timestamp, retry: job.attemptsStarted > 0 });
  }
  for (const job of active) {
    const data = payload(job);
    if (!data) continue;
    const progress = jobProgressSchema.safeParse(job.progress);
    const p = progress.success ? progress.data : null;
    status.running.push({ candidate: data.candidate, key: data.key, engine: p?.engine ?? null, worker: p?.worker ?? null, phase: p?.phase ?? null, elapsedMs: now - (job.processedOn ?? now), phaseMs: p ? now - p.phaseAt : null });
  }
  for (const job of completed) {
    const data = payload(job);
    if (!data) continue;
    const result = jobResultSchema.safeParse(job.returnvalue);
    if (!result.success) {
      status.unreadable.push({ key: data.key, reason: `stored result: ${result.error.issues[0]?.message ?? 'unreadable'}` });
      continue;
    }
    const { report } = result.data;
    status.done.push({ candidate: data.candidate, key: data.key, score: `${report.score.points}/${report.score.max}`, gradable: report.gradable, engine: result.data.engine, attempt: result.data.attempt, waitedMs: result.data.pickedAt - data.enqueuedAt });
  }
  for (const job of failed) {
    const data = payload(job);
    if (data) status.failed.push({ candidate: data.candidate, key: data.key, reason: job.failedReason ?? 'unknown', attempts: job.attemptsMade });
  }
  return status;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The terminal view of `grader queue status`. */
export function formatQueueStatus(status: QueueStatus): string {
  const lines = [`waiting ${status.waiting.length} · running ${status.running.length} · done ${status.done.length} · failed ${status.failed.length}`];
  if (status.waiting.length > 0) lines.push('', 'waiting:', ...status.waiting.map((job) => `  ${job.candidate}  for ${seconds(job.waitedMs)}${job.retry ? '  (retry)' : ''}`));
  if (status.running.length > 0) {
    lines.push('', 'running:', ...status.running.map((job) => `  ${job.candidate}  on ${job.engine ?? '?'} (${job.worker ?? '?'})  ${job.phase ?? 'starting'}${job.phaseMs !== null ? ` ${seconds(job.phaseMs)}` : ''}  elapsed ${seconds(job.elapsedMs)}`));
  }
  if (status.done.length > 0) lines.push('', 'done:', ...status.done.map((job) => `  ${job.candidate}  ${job.score}${job.gradable ? '' : '  NOT GRADABLE'}  on ${job.engine}${job.attempt > 1 ? `  (attempt ${job.attempt})` : ''}`));
  if (status.failed.length > 0) lines.push('', 'failed:', ...status.failed.map((job) => `  ${job.candidate}  ${job.reason}`));
  if (status.unreadable.length > 0) lines.push('', 'unreadable:', ...status.unreadable.map((job) => `  ${job.key}  ${job.reason}`));
  return lines.join('\n');
}
