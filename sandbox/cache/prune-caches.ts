import { LABELS } from '../labels.ts';
import type { SandboxRuntime } from '../runtime/sandbox-runtime.ts';

/**
 * Removes every dependency cache volume; returns how many went. One mounted by an install
 * under way stays (the engine refuses) and is not counted.
 */
export async function pruneCaches(runtime: SandboxRuntime): Promise<number> {
  const objects = await runtime.listObjects({ [LABELS.managed]: 'true' });
  const caches = objects.filter((object) => object.kind === 'volume' && object.labels[LABELS.cache] !== undefined);
  const results = await Promise.allSettled(caches.map((object) => runtime.removeObject(object)));
  return results.filter((result) => result.status === 'fulfilled').length;
}
