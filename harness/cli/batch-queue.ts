import path from 'node:path';
import { readRoster } from '../batch/roster.ts';
import { progressReporter } from '../batch/progress.ts';
import type { Assignment } from '../assignment/load-assignment.ts';
import { UsageError } from '../../core/errors.ts';
import { pickOverrides } from '../plan/submission-overrides.ts';
import { collectResults } from '../queue/collect-results.ts';
import { enqueue } from '../queue/enqueue.ts';
import { followJobs } from '../queue/follow-jobs.ts';
import { openQueue } from './queue-command.ts';

/**
 * `grader batch --queue`: the roster goes through the durable queue instead of this
 * process: queued (a row graded before answers with its stored report), followed with the
 * same progress view as a local batch, and collected into --out as `grader batch` writes
 * it. Workers anywhere grade it; Ctrl-C here leaves the jobs queued.
 */
export async function batchViaQueue(options: { roster: string; outDir: string; assignment: Assignment; skipInvalid: boolean; redis: string; queue: string }): Promise<number> {
  const { rows, problems } = await readRoster(options.roster);
  if (problems.length > 0 && !options.skipInvalid) {
    throw new UsageError(`roster ${options.roster} has ${problems.length} bad row(s); fix them or pass --skip-invalid:\n${problems.map((p) => `  line ${p.line}: ${p.message}`).join('\n')}`);
  }
  const queue = await openQueue(options.redis, options.queue);
  try {
    const added = await enqueue(
      queue,
      options.assignment,
      rows.map((row) => ({ candidate: row.candidate, source: row.source, ref: row.ref ?? null, deadline: row.deadline ?? null, overrides: pickOverrides(row) })),
    );
    const keys = new Map(added.map((job) => [job.key, job.candidate]));
    const report = progressReporter();
    await followJobs(queue, keys, report, {
      onIdle: () => process.stderr.write(`no job of this batch has moved for 30 s: is a worker running? (grader worker --engines <file> --redis ${options.redis} --queue ${options.queue})\n`),
    });
    const collected = await collectResults(queue, options.outDir, new Set(keys.keys()));
    const incomplete = collected.rows.filter((row) => !row.report?.gradable).length;
    process.stdout.write(`${collected.rows.length} rows via the queue, ${incomplete} without a gradable report\nsummary: ${path.join(options.outDir, 'summary.md')}\n`);
    return incomplete === 0 ? 0 : 1;
  } finally {
    await queue.close();
  }
}
