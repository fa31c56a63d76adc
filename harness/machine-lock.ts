import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { cacheDir } from './cache-dir.ts';

/**
 * Runs one task at a time per machine, across processes (a batch, the mutant matrix,
 * parallel test files): load probes go through it so no measurement shares the CPUs with
 * another. A holder that dies leaves a stale lock that the next taker breaks after 30 s.
 */
export async function withMachineLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const file = cacheDir('locks', name);
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, '', { flag: 'a' });
  const release = await lockfile.lock(file, {
    stale: 30_000,
    update: 5_000,
    retries: { retries: 1_000, minTimeout: 200, maxTimeout: 1_000, factor: 1.2 },
  });
  try {
    return await task();
  } finally {
    await release().catch(() => undefined);
  }
}
