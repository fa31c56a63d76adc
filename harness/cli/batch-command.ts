import { availableParallelism } from 'node:os';
import path from 'node:path';
import { stat } from 'node:fs/promises';
import { makeFolders } from '../make-folders.ts';
import { z } from 'zod';
import { connectRuntime } from '../../sandbox/docker/docker-runtime.ts';
import { loadAssignment } from '../assignment/load-assignment.ts';
import { progressReporter } from '../batch/progress.ts';
import { runBatch } from '../batch/run-batch.ts';
import { UsageError, formatZodIssues } from '../../core/errors.ts';
import { createLogger } from '../logger.ts';
import { DEFAULT_QUEUE } from '../queue/grading-queue.ts';
import { DEFAULT_REDIS_URL } from '../queue/redis-connection.ts';
import { batchViaQueue } from './batch-queue.ts';

const batchOptionsSchema = z.object({
  roster: z.string().min(1),
  assignment: z.string().min(1).optional(),
  out: z.string().min(1).default('grader-reports/batch'),
  concurrency: z.coerce.number().int().min(1).max(32).default(availableParallelism()),
  skipInvalid: z.boolean().default(false),
  /** Through the durable queue (true: the default queue name) instead of this process. */
  queue: z.union([z.boolean(), z.string().regex(/^[\w.-]{1,64}$/, 'letters, digits and ._- only')]).default(false),
  redis: z.string().min(1).default(process.env.GRADER_REDIS_URL ?? DEFAULT_REDIS_URL),
});

/** `grader batch`: exit 0 when every candidate got a gradable report, 1 otherwise. */
export async function batchCommand(raw: unknown): Promise<number> {
  const parsed = batchOptionsSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(formatZodIssues(parsed.error, 'batch'));
  const options = parsed.data;
  const assignment = await loadAssignment(options.assignment);
  const outDir = path.resolve(options.out);
  await makeFolders(outDir).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`--out ${outDir}: cannot create the folder (${error.code ?? error.message})`);
  });
  if (!(await stat(outDir)).isDirectory()) throw new UsageError(`--out ${outDir} is a file, not a folder`);
  if (options.queue !== false) {
    return batchViaQueue({ roster: options.roster, outDir, assignment, skipInvalid: options.skipInvalid, redis: options.redis, queue: options.queue === true ? DEFAULT_QUEUE : options.queue });
  }
  // Quiet on the terminal (the progress list is there); the whole log goes to a file.
  const logger = createLogger({ level: 'silent', file: path.join(outDir, 'batch.log') });
  const rows = await runBatch(
    { rosterFile: options.roster, outDir, assignment, concurrency: options.concurrency, skipInvalid: options.skipInvalid, onEvent: progressReporter() },
    { runtime: connectRuntime(), logger },
  );
  const incomplete = rows.filter((row) => !row.report?.gradable).length;
  const notGraded = rows.filter((row) => !row.report && row.problem?.startsWith('not graded:')).length;
  process.stdout.write(`${rows.length} rows, ${incomplete} without a gradable report${notGraded > 0 ? ` (${notGraded} bad roster rows not graded)` : ''}\nsummary: ${path.join(outDir, 'summary.md')}\n`);
  return incomplete === 0 ? 0 : 1;
}
