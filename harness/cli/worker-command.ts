import path from 'node:path';
import { z } from 'zod';
import { UsageError, formatZodIssues } from '../../core/errors.ts';
import { readEnginePool } from '../engines/engine-pool.ts';
import { poolRuntimes } from '../engines/pool-runtimes.ts';
import { createLogger } from '../logger.ts';
import { DEFAULT_QUEUE } from '../queue/grading-queue.ts';
import { DEFAULT_LEASE_MS } from '../queue/lease.ts';
import { DEFAULT_REDIS_URL, redisOptions } from '../queue/redis-connection.ts';
import { runWorker, type WorkerEvent } from '../queue/run-worker.ts';
import { onShutdown } from '../shutdown.ts';

const workerOptionsSchema = z.object({
  engines: z.string().min(1),
  redis: z.string().min(1).default(process.env.GRADER_REDIS_URL ?? DEFAULT_REDIS_URL),
  queue: z.string().regex(/^[\w.-]{1,64}$/, 'letters, digits and ._- only').default(DEFAULT_QUEUE),
  lease: z.coerce.number().int().min(5).max(600).default(DEFAULT_LEASE_MS / 1000),
  log: z.string().min(1).optional(),
});

function line(event: WorkerEvent): string {
  switch (event.kind) {
    case 'engine':
      return `engine ${event.engine}: ${event.healthy ? 'ready' : 'UNREACHABLE'} (${event.detail})`;
    case 'picked':
      return `picked ${event.candidate} ${event.key} on ${event.engine} (attempt ${event.attempt}, queued ${event.waitedMs} ms)`;
    case 'done':
      return `done ${event.candidate} ${event.key} on ${event.engine}: ${event.score}${event.gradable ? '' : ' NOT GRADABLE'} in ${(event.elapsedMs / 1000).toFixed(1)} s`;
    case 'retry':
      return `retry ${event.candidate} ${event.key}: engine ${event.engine}: ${event.reason}`;
    case 'failed':
      return `failed ${event.candidate} ${event.key}: ${event.reason}`;
    case 'reaped':
      return `reaped ${event.count} leftover object(s) on ${event.engine}`;
  }
}

/** `grader worker`: grades queued jobs on the pool's engines until interrupted. */
export async function workerCommand(raw: unknown): Promise<number> {
  const parsed = workerOptionsSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(formatZodIssues(parsed.error, 'worker'));
  const options = parsed.data;
  try {
    redisOptions(options.redis);
  } catch (error) {
    throw new UsageError(`--redis: ${(error as Error).message}`);
  }
  const say = (text: string) => process.stdout.write(`${new Date().toISOString()} ${text}\n`);
  const engines = await poolRuntimes(await readEnginePool(options.engines), (engine, copied) => say(`engine ${engine}: image ${copied.image} loaded from ${copied.from} in ${(copied.ms / 1000).toFixed(1)} s`));
  const logger = createLogger({ file: path.resolve(options.log ?? path.join('grader-reports', 'workers', `worker-${process.pid}.log`)) });
  const worker = await runWorker({
    redisUrl: options.redis,
    queue: options.queue,
    leaseMs: options.lease * 1000,
    engines,
    logger,
    onEvent: (event) => say(line(event)),
  });
  process.stdout.write(`worker ${worker.name}: ${engines.map((engine) => `${engine.config.name}×${engine.config.slots}`).join(', ')}; lease ${options.lease} s; queue ${options.queue}\n`);
  onShutdown(() => worker.close());
  // Runs until SIGINT/SIGTERM: the shutdown handlers remove running gradings' containers and exit.
  await new Promise(() => undefined);
  return 0;
}
