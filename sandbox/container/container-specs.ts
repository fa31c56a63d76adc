import { jobLabels } from '../labels.ts';
import type { Caps, ContainerSpec, MountSpec, NetworkSpec } from '../runtime/sandbox-runtime.ts';

/** Numeric, so it works in any image: uid:gid of `node` in node images and of the helper image's user. */
export const SANDBOX_USER = { uid: 1000, gid: 1000 };
export const WORKSPACE_MOUNT = '/workspace';
/** Where the submission lands and its commands run. */
export const APP_DIR = `${WORKSPACE_MOUNT}/app`;
/** Where the host's CA bundle lands for install steps (the caller points the toolchain's variable at it). */
export const CA_PATH = `${WORKSPACE_MOUNT}/ca/ca-certificates.crt`;
export const PROBER_MOUNT = '/prober';

interface JobInput {
  jobId: string;
  image: string;
  name: string;
  ttlMs: number;
}

interface CommandInput extends JobInput {
  cmd: string[];
  env: Record<string, string>;
  caps: Caps;
}

const USER = `${SANDBOX_USER.uid}:${SANDBOX_USER.gid}`;

/**
 * Holds the job's tmpfs volumes mounted for its whole life (a tmpfs volume is emptied when
 * no container mounts it). Runs only `sleep` in the helper image; no submission code ever
 * runs in it, and nothing in the candidate's image is relied on.
 */
export function keeperSpec(input: JobInput & { volumes: string[] }): ContainerSpec {
  return {
    name: input.name,
    image: input.image,
    cmd: ['sleep', 'infinity'],
    env: {},
    user: USER,
    caps: { memoryMb: 16, cpus: 0.1, pids: 8, tmpfsMb: 1 },
    network: { mode: 'none' },
    mounts: input.volumes.map((volume, index) => ({ volume, target: `/held/${index}`, readOnly: true })),
    labels: jobLabels(input.jobId, 'keeper', input.ttlMs),
  };
}

/**
 * Install/build: the submission's files on a writable volume; the registry is reachable
 * when asked: through the job's egress proxy when one is given (`proxied`), else (the
 * proxy turned off) on the engine's default network.
 */
export function buildSpec(input: CommandInput & { workspaceVolume: string; network: boolean | NetworkSpec; caches: Array<{ volume: string; target: string; readOnly?: boolean }> }): ContainerSpec {
  const caches: MountSpec[] = input.caches.map((cache) => ({ volume: cache.volume, target: cache.target, readOnly: cache.readOnly ?? false }));
  return {
    name: input.name,
    image: input.image,
    cmd: input.cmd,
    env: input.env,
    // Every role runs as the unprivileged sandbox user; nothing needs root at run time.
    user: USER,
    workingDir: APP_DIR,
    caps: input.caps,
    network: typeof input.network === 'object' ? input.network : input.network ? { mode: 'egress' } : { mode: 'none' },
    mounts: [{ volume: input.workspaceVolume, target: WORKSPACE_MOUNT, readOnly: false }, ...caches],
    labels: jobLabels(input.jobId, 'build', input.ttlMs),
  };
}

/** The candidate's server: built files read-only, no network at all. */
export function candidateSpec(input: CommandInput & { workspaceVolume: string }): ContainerSpec {
  // The instance's own copy of the built workspace: writable (builds at start-up, caches,
  // file stores work), size-capped, and gone with the instance.
  return {
    name: input.name,
    image: input.image,
    cmd: input.cmd,
    env: input.env,
    user: USER,
    workingDir: APP_DIR,
    caps: input.caps,
    network: { mode: 'none' },
    mounts: [{ volume: input.workspaceVolume, target: WORKSPACE_MOUNT, readOnly: false }],
    labels: jobLabels(input.jobId, 'candidate', input.ttlMs),
  };
}

/** What the holder prints once the copy is complete. */
export const WORKSPACE_COPIED = 'takehome-grader: workspace copied';

/**
 * Copies the built workspace into an instance's own volume, then holds that volume mounted
 * for the instance's life (a tmpfs volume is emptied when no container mounts it). Runs
 * `cp` of the helper image (never the candidate's), with no network, reading the built
 * workspace read-only.
 */
export function workspaceCopySpec(input: { jobId: string; image: string; name: string; ttlMs: number; from: string; to: string }): ContainerSpec {
  return {
    name: input.name,
    image: input.image,
    cmd: ['sh', '-c', `cp -a /from/. /to/ && echo '${WORKSPACE_COPIED}' && exec sleep infinity`],
    env: {},
    user: USER,
    caps: { memoryMb: 128, cpus: 1, pids: 16, tmpfsMb: 1 },
    network: { mode: 'none' },
    mounts: [
      { volume: input.from, target: '/from', readOnly: true },
      { volume: input.to, target: '/to', readOnly: false },
    ],
    labels: jobLabels(input.jobId, 'copy', input.ttlMs),
  };
}

/**
 * The prober joins the candidate's network namespace and nothing else: it reaches the
 * server on loopback, while the hidden checks stay in a volume only the prober mounts. It
 * runs in the helper image, so no binary the candidate's image controls executes them.
 */
export function proberSpec(input: CommandInput & { candidateId: string; codeVolume: string; workingDir?: string }): ContainerSpec {
  return {
    name: input.name,
    image: input.image,
    cmd: input.cmd,
    env: input.env,
    user: USER,
    workingDir: input.workingDir ?? PROBER_MOUNT,
    caps: input.caps,
    network: { mode: 'join', containerId: input.candidateId },
    // Writable only so the harness can copy the bundle in before start.
    mounts: [{ volume: input.codeVolume, target: PROBER_MOUNT, readOnly: false }],
    labels: jobLabels(input.jobId, 'prober', input.ttlMs),
  };
}

/**
 * The job's egress proxy (sandbox/egress/): the harness's own script in the helper image,
 * on the default bridge (and, connected later, the job's internal network). Small caps:
 * it only relays bytes.
 */
export function egressProxySpec(input: JobInput & { script: string; allow: readonly string[]; httpPort: number }): ContainerSpec {
  return {
    name: input.name,
    image: input.image,
    cmd: ['node', '--input-type=module', '-e', input.script],
    env: { EGRESS_ALLOW: JSON.stringify(input.allow), EGRESS_HTTP_PORT: String(input.httpPort), EGRESS_DNS_PORT: '53', NODE_ENV: 'production' },
    user: USER,
    caps: { memoryMb: 128, cpus: 1, pids: 64, tmpfsMb: 1 },
    network: { mode: 'egress' },
    mounts: [],
    labels: jobLabels(input.jobId, 'egress-proxy', input.ttlMs),
  };
}
