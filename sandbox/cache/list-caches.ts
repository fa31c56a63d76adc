import { LABELS } from '../labels.ts';
import type { SandboxRuntime } from '../runtime/sandbox-runtime.ts';

export interface CacheVolume {
  id: string;
  volume: string;
  /** Bytes on the engine's disk; null when the engine cannot tell. */
  sizeBytes: number | null;
}

/** Every dependency cache volume on the engine, with its size. */
export async function listCaches(runtime: SandboxRuntime): Promise<CacheVolume[]> {
  const objects = await runtime.listObjects({ [LABELS.managed]: 'true' });
  const caches = objects.filter((object) => object.kind === 'volume' && object.labels[LABELS.cache] !== undefined);
  const sized = await Promise.all(
    caches.map(async (object) => ({
      id: object.labels[LABELS.cache] ?? '',
      volume: object.name,
      sizeBytes: await runtime.volumeSize(object.name).catch(() => null),
    })),
  );
  return sized.sort((a, b) => a.id.localeCompare(b.id));
}
