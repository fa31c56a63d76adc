import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { mkdir, readdir, rm, stat, utimes, writeFile } from 'node:fs/promises';
import path from 'node:path';
import lockfile from 'proper-lockfile';
import { cacheDir } from './cache-dir.ts';

const engineScope = new AsyncLocalStorage<string>();

/**
 * Runs a grading's work under one engine's locks: with a pool, the load probe is exclusive
 * per engine (its host's CPUs), not across engines. A worker running jobs on several
 * engines in one process scopes each job; outside a scope the locks are the machine's, as
 * they have always been.
 */
export function withEngineScope<T>(engine: string, task: () => Promise<T>): Promise<T> {
  return engineScope.run(engine, task);
}

/** The engine scope the caller runs in; undefined for the machine's own. */
export function currentEngineScope(): string | undefined {
  return engineScope.getStore();
}

/** A lock file or folder of the current engine scope (the machine's own when there is none). */
export function lockPath(name: string): string {
  const engine = engineScope.getStore();
  return engine === undefined ? cacheDir('locks', name) : cacheDir('locks', 'engines', engine.replace(/[^a-zA-Z0-9_.-]/g, '_'), name);
}

/**
 * Runs one task at a time per machine (per engine inside withEngineScope), across
 * processes (a batch, the mutant matrix, parallel test files): load probes go through it so no measurement shares the CPUs with
 * another. A holder that dies leaves a stale lock that the next taker breaks after 30 s.
 */
export async function withMachineLock<T>(name: string, task: () => Promise<T>): Promise<T> {
  const file = lockPath(name);
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

const SHARER_STALE_MS = 30_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Runs a task that shares the machine (a check instance) across processes, but never
 * beside a load probe: it registers itself (a file that stays fresh while it runs), then
 * goes only if no probe holds the load-probe lock; a probe that holds it waits for the
 * registered sharers to finish (see waitForNoSharers). Registering before looking closes
 * the race where both look at once.
 */
export async function withSharedMachine<T>(task: () => Promise<T>, machineLimit = Math.max(6, 2 * availableParallelism())): Promise<T> {
  const dir = lockPath('sharers');
  await mkdir(dir, { recursive: true });
  const probeLock = lockPath('load-probe');
  const me = path.join(dir, `${process.pid}-${randomUUID()}`);
  for (;;) {
    await writeFile(me, '');
    const probing = await lockfile.check(probeLock, { stale: 30_000 }).catch(() => false);
    // One budget of instances for the whole machine, whichever processes they belong to.
    if (!probing && (await liveSharers(dir)) <= machineLimit) break;
    await rm(me, { force: true });
    await sleep(100 + Math.random() * 200);
  }
  const fresh = setInterval(() => {
    const now = new Date();
    void utimes(me, now, now).catch(() => undefined);
  }, 5_000);
  try {
    return await task();
  } finally {
    clearInterval(fresh);
    await rm(me, { force: true });
  }
}

/** Registered check instances still running (stale entries of dead processes are cleared). */
async function liveSharers(dir: string): Promise<number> {
  const names = await readdir(dir).catch(() => [] as string[]);
  let live = 0;
  for (const name of names) {
    const file = path.join(dir, name);
    const info = await stat(file).catch(() => null);
    if (!info) continue;
    if (Date.now() - info.mtimeMs > SHARER_STALE_MS) await rm(file, { force: true });
    else live += 1;
  }
  return live;
}

/** Waits until no process has a check instance registered. */
export async function waitForNoSharers(): Promise<void> {
  const dir = lockPath('sharers');
  while ((await liveSharers(dir)) > 0) await sleep(100);
}
