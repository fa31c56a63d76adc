import { Writable } from 'node:stream';
import { SANDBOX_USER } from '../container/container-specs.ts';
import { harnessLabels, LABELS } from '../labels.ts';
import type { SandboxRuntime } from '../runtime/sandbox-runtime.ts';
import { cacheVolumeName } from './cache-volume.ts';

const MOUNT = '/cache';
const SETUP_DEADLINE_MS = 60_000;

/** Per runtime: a batch's gradings share one setup instead of racing to create the volume. */
const ensured = new WeakMap<SandboxRuntime, Map<string, Promise<string>>>();

/**
 * A named volume for one toolchain cache (`npm`, …), shared by every install so the second
 * install of a lockfile reads its packages locally. Labelled as the harness's but with no
 * job, instance or expiry, so the reaper and job cleanup leave it alone; `grader cache
 * prune` removes it. Returns the volume name.
 */
export function ensureCache(runtime: SandboxRuntime, options: { id: string; helperImage: string }): Promise<string> {
  const known = ensured.get(runtime) ?? new Map<string, Promise<string>>();
  ensured.set(runtime, known);
  let pending = known.get(options.id);
  if (!pending) {
    pending = createCache(runtime, options);
    known.set(options.id, pending);
    pending.catch(() => known.delete(options.id));
  }
  return pending;
}

async function createCache(runtime: SandboxRuntime, options: { id: string; helperImage: string }): Promise<string> {
  const name = cacheVolumeName(options.id);
  const existing = await runtime.listObjects({ [LABELS.cache]: options.id });
  if (existing.some((object) => object.kind === 'volume' && object.name === name)) return name;
  await runtime.createVolume({ name, labels: { [LABELS.managed]: 'true', [LABELS.cache]: options.id } });
  try {
    await handToSandboxUser(runtime, name, options.helperImage);
  } catch (error) {
    // A root-owned cache would fail every later install with EACCES: better none at all.
    await runtime.removeObject({ kind: 'volume', id: name, name, labels: {} }).catch(() => undefined);
    throw error;
  }
  return name;
}

/**
 * A fresh volume is root-owned; hand it to the sandbox user once. Runs in the helper image
 * (the candidate's may have no chown), as root with CAP_CHOWN only and no network.
 */
async function handToSandboxUser(runtime: SandboxRuntime, volume: string, helperImage: string): Promise<void> {
  const container = await runtime.createContainer({
    name: `${volume}-setup-${process.pid}-${Date.now().toString(36)}`,
    image: helperImage,
    cmd: ['chown', `${SANDBOX_USER.uid}:${SANDBOX_USER.gid}`, MOUNT],
    env: {},
    user: '0:0',
    caps: { memoryMb: 32, cpus: 0.5, pids: 8, tmpfsMb: 1 },
    network: { mode: 'none' },
    mounts: [{ volume, target: MOUNT, readOnly: false }],
    labels: harnessLabels('cache-setup', SETUP_DEADLINE_MS * 10),
    privilegedChown: true,
  });
  try {
    const discard = () => new Writable({ write: (_chunk, _encoding, done) => done() });
    await container.start({ stdout: discard(), stderr: discard() });
    let timer: NodeJS.Timeout | undefined;
    const exitCode = await Promise.race([
      container.exited(),
      new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), SETUP_DEADLINE_MS);
      }),
    ]);
    clearTimeout(timer);
    if (exitCode !== 0) throw new Error(`could not hand cache volume ${volume} to uid ${SANDBOX_USER.uid}: chown ${exitCode === 'timeout' ? 'timed out' : `exited ${exitCode}`}`);
  } finally {
    await container.remove();
  }
}
