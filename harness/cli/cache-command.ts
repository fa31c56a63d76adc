import { HarnessError } from '../../core/errors.ts';
import { pruneCaches } from '../../sandbox/cache/prune-caches.ts';
import { connectRuntime } from '../../sandbox/docker/docker-runtime.ts';

/** `grader cache prune`: removes the dependency cache volumes kept between gradings. */
export async function cachePruneCommand(): Promise<number> {
  const runtime = connectRuntime();
  const engine = await runtime.probe();
  if (!engine.reachable) throw new HarnessError(`container engine not reachable at ${engine.endpoint}: ${engine.error}`);
  const removed = await pruneCaches(runtime);
  process.stdout.write(`removed ${removed} cache volume${removed === 1 ? '' : 's'}\n`);
  return 0;
}
