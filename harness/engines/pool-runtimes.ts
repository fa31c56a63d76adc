import { readFile } from 'node:fs/promises';
import { UsageError } from '../../core/errors.ts';
import { connectEngine } from '../../sandbox/docker/connect-engine.ts';
import type { SandboxRuntime } from '../../sandbox/runtime/sandbox-runtime.ts';
import type { EngineConfig, EnginePool } from './engine-pool.ts';

export interface PoolEngine {
  config: EngineConfig;
  runtime: SandboxRuntime;
}

/** One runtime per engine of the pool; a certificate that cannot be read is the pool file's mistake. */
export async function poolRuntimes(pool: EnginePool): Promise<PoolEngine[]> {
  const read = (file: string, engine: string) =>
    readFile(file).catch((error: NodeJS.ErrnoException) => {
      throw new UsageError(`engine ${engine}: cannot read ${file}: ${error.code ?? error.message}`);
    });
  return Promise.all(
    pool.engines.map(async (config) => {
      const tls = config.tls ? { ca: await read(config.tls.ca, config.name), cert: await read(config.tls.cert, config.name), key: await read(config.tls.key, config.name) } : null;
      try {
        return { config, runtime: connectEngine(config.host, tls) };
      } catch (error) {
        throw new UsageError(`engine ${config.name}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }),
  );
}
