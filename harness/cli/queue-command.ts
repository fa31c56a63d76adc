import { stat } from 'node:fs/promises';
import path from 'node:path';
import { Redis } from 'ioredis';
import { z } from 'zod';
import { UsageError, formatZodIssues } from '../../core/errors.ts';
import { redactCredentials } from '../../core/redact.ts';
import { loadAssignment } from '../assignment/load-assignment.ts';
import { readRoster } from '../batch/roster.ts';
import { pickOverrides, submissionOverridesSchema } from '../plan/submission-overrides.ts';
import { collectResults } from '../queue/collect-results.ts';
import { enqueue, type Submission } from '../queue/enqueue.ts';
import { DEFAULT_QUEUE, gradingQueue } from '../queue/grading-queue.ts';
import { formatQueueStatus, queueStatus } from '../queue/queue-status.ts';
import { DEFAULT_REDIS_URL, redisOptions } from '../queue/redis-connection.ts';
import { assertCloneableUrl, assertSafeArguments, isGitUrl } from '../source/resolve-source.ts';

const connectionSchema = {
  redis: z.string().min(1).default(process.env.GRADER_REDIS_URL ?? DEFAULT_REDIS_URL),
  queue: z.string().regex(/^[\w.-]{1,64}$/, 'letters, digits and ._- only').default(DEFAULT_QUEUE),
};

const addOptionsSchema = z.object({
  inputs: z.array(z.string().trim().min(1)).min(1, 'a roster or at least one source'),
  assignment: z.string().min(1).optional(),
  ref: z.string().min(1).optional(),
  skipInvalid: z.boolean().default(false),
  json: z.boolean().default(false),
  ...connectionSchema,
  ...submissionOverridesSchema.shape,
});

/** A Redis that does not answer is the operator's to start: one line, exit 2, not a hang. */
export async function openQueue(url: string, name: string) {
  let options;
  try {
    options = redisOptions(url);
  } catch (error) {
    throw new UsageError(`--redis: ${(error as Error).message}`);
  }
  // One try, no reconnects: BullMQ's own client would retry for ever.
  const probe = new Redis({ ...options, lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 5_000 });
  probe.on('error', () => undefined);
  const answered = await probe.connect().then(() => probe.ping(), () => null).catch(() => null);
  probe.disconnect();
  if (answered !== 'PONG') throw new UsageError(`no Redis answers at ${redactCredentials(url)} (start one: redis-server --port 6379 --save '')`);
  return gradingQueue(url, name);
}

const isRoster = (input: string) => /\.(csv|ya?ml)$/i.test(input);

async function submissionsOf(options: z.infer<typeof addOptionsSchema>): Promise<Submission[]> {
  const [first] = options.inputs;
  if (options.inputs.length === 1 && first !== undefined && isRoster(first) && (await stat(first).then((info) => info.isFile(), () => false))) {
    const { rows, problems } = await readRoster(first);
    if (problems.length > 0 && !options.skipInvalid) {
      throw new UsageError(`roster ${first} has ${problems.length} bad row(s); fix them or pass --skip-invalid:\n${problems.map((p) => `  line ${p.line}: ${p.message}`).join('\n')}`);
    }
    return rows.map((row) => ({ candidate: row.candidate, source: row.source, ref: row.ref ?? null, deadline: row.deadline ?? null, overrides: pickOverrides(row) }));
  }
  const overrides = pickOverrides(options);
  const submissions: Submission[] = [];
  for (const input of options.inputs) {
    assertSafeArguments(input, options.ref ?? null);
    assertCloneableUrl(input);
    if (!isGitUrl(input)) {
      const info = await stat(input).catch(() => null);
      if (!info?.isDirectory()) throw new UsageError(`source ${info ? 'is not a directory' : 'not found'}: ${input}`);
    }
    const source = isGitUrl(input) ? input : path.resolve(input);
    const candidate = path.basename(redactCredentials(source).replace(/\/+$/, '').replace(/\.git$/, '')) || 'submission';
    submissions.push({ candidate, source, ref: options.ref ?? null, deadline: null, overrides });
  }
  return submissions;
}

/** `grader queue add`: queues gradings; a repeat of a finished one prints its stored result. */
export async function queueAddCommand(raw: unknown): Promise<number> {
  const parsed = addOptionsSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(formatZodIssues(parsed.error, 'queue add'));
  const options = parsed.data;
  const assignment = await loadAssignment(options.assignment);
  const submissions = await submissionsOf(options);
  const queue = await openQueue(options.redis, options.queue);
  try {
    const added = await enqueue(queue, assignment, submissions);
    if (options.json) process.stdout.write(`${JSON.stringify(added.map(({ result, ...rest }) => ({ ...rest, score: result ? `${result.report.score.points}/${result.report.score.max}` : null })), null, 2)}\n`);
    else {
      for (const job of added) {
        const stored = job.result ? `  ${job.result.report.score.points}/${job.result.report.score.max} (stored; graded on ${job.result.engine})` : '';
        process.stdout.write(`${job.outcome.padEnd(16)} ${job.candidate}  ${job.key}${stored}\n`);
      }
    }
    return 0;
  } finally {
    await queue.close();
  }
}

const statusOptionsSchema = z.object({ json: z.boolean().default(false), ...connectionSchema });

/** `grader queue status`: waiting, running (engine, phase, elapsed), done, failed with reasons. */
export async function queueStatusCommand(raw: unknown): Promise<number> {
  const parsed = statusOptionsSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(formatZodIssues(parsed.error, 'queue status'));
  const queue = await openQueue(parsed.data.redis, parsed.data.queue);
  try {
    const status = await queueStatus(queue);
    process.stdout.write(`${parsed.data.json ? JSON.stringify(status, null, 2) : formatQueueStatus(status)}\n`);
    return 0;
  } finally {
    await queue.close();
  }
}

const resultsOptionsSchema = z.object({ dir: z.string().min(1), ...connectionSchema });

/** `grader queue results <dir>`: report folders and summaries, as `grader batch` writes them. */
export async function queueResultsCommand(raw: unknown): Promise<number> {
  const parsed = resultsOptionsSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(formatZodIssues(parsed.error, 'queue results'));
  const dir = path.resolve(parsed.data.dir);
  const info = await stat(dir).catch(() => null);
  if (info && !info.isDirectory()) throw new UsageError(`${dir} is a file, not a folder`);
  const queue = await openQueue(parsed.data.redis, parsed.data.queue);
  try {
    const collected = await collectResults(queue, dir);
    const missing = collected.rows.filter((row) => !row.report).length;
    process.stdout.write(`${collected.rows.length} jobs: ${collected.written} reports written, ${collected.unchanged} unchanged, ${missing} without a report\nsummary: ${path.join(dir, 'summary.md')}\n`);
    return 0;
  } finally {
    await queue.close();
  }
}
