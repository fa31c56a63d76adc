import { readFile } from 'node:fs/promises';
import { UsageError } from '../../core/errors.ts';
import { connectEngine } from '../../sandbox/docker/connect-engine.ts';
import { PeerImageRuntime, type ImageCopied } from '../../sandbox/image/peer-image-runtime.ts';
import type { SandboxRuntime } from '../../sandbox/runtime/sandbox-runtime.ts';
import type { EngineConfig, EnginePool } from './engine-pool.ts';

export interface PoolEngine {
  config: EngineConfig;
  runtime: SandboxRuntime;
}

/**
 * One runtime per engine of the pool; a certificate that cannot be read is the pool file's
 * mistake. An engine lacking an image takes it from another engine of the pool that has
 * it (see PeerImageRuntime), so images are built once and loaded where needed.
 */
export async function poolRuntimes(pool: EnginePool, onImageCopied: (engine: string, copied: ImageCopied) => void = () => undefined): Promise<PoolEngine[]> {
  const read = (file: string, engine: string) =>
    readFile(file).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`engine ${engine}: cannot read ${file}: ${error.code ?? error.message}`);
    });
  const own = await Promise.all(
    pool.engines.map(async (config) => {
      const tls = config.tls ? { ca: await read(config.tls.ca, config.name), cert: await read(config.tls.cert, config.name), key: await read(config.tls.key, config.name) } : null;
      try {
        return { config, runtime: connectEngine(config.host, tls) } satisfies PoolEngine;
      } catch (error) {
        throw new UsageError(`engine ${config.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
  return own.map(({ config, runtime }) => {
    const peers = own.filter((other) => other.config.name !== config.name).map((other) => ({ name: other.config.name, runtime: other.runtime }));
    return { config, runtime: new PeerImageRuntime(runtime, peers, (copied) => onImageCopied(config.name, copied)) };
  });
}
