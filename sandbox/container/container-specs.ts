import type Docker from 'dockerode';
import { jobLabels, type Role } from '../labels.ts';

/** uid:gid of the `node` user in node images (and in the offline stand-in). */
export const SANDBOX_USER = { uid: 1000, gid: 1000 };
export const WORKSPACE_MOUNT = '/workspace';
export const APP_DIR = `${WORKSPACE_MOUNT}/app`;
export const CA_PATH = `${WORKSPACE_MOUNT}/ca/ca-certificates.crt`;
export const PROBER_MOUNT = '/prober';

export interface Caps {
  memoryMb: number;
  cpus: number;
  pids: number;
  tmpfsMb: number;
  /** Pins the container to these CPUs ("0", "1-3"); candidate and prober get different ones. */
  cpuset?: string;
}

interface CommonInput {
  jobId: string;
  role: Role;
  image: string;
  name: string;
  cmd: string[];
  env: Record<string, string>;
  caps: Caps;
  ttlMs: number;
}

const MIB = 1024 * 1024;

function hardened(input: CommonInput): Docker.ContainerCreateOptions {
  return {
    name: input.name,
    Image: input.image,
    Cmd: input.cmd,
    // Every role runs as the unprivileged node user; nothing needs root at run time.
    User: `${SANDBOX_USER.uid}:${SANDBOX_USER.gid}`,
    Env: Object.entries(input.env).map(([key, value]) => `${key}=${value}`),
    Labels: jobLabels(input.jobId, input.role, input.ttlMs),
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    OpenStdin: false,
    HostConfig: {
      // Nothing in the sandbox needs a capability, setuid escalation, or to write outside
      // /tmp and the volumes mounted for it.
      CapDrop: ['ALL'],
      SecurityOpt: ['no-new-privileges'],
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': `rw,nosuid,nodev,size=${input.caps.tmpfsMb}m,mode=1777` },
      // Memory equal to memory+swap: the container cannot swap its way past the cap.
      Memory: input.caps.memoryMb * MIB,
      MemorySwap: input.caps.memoryMb * MIB,
      NanoCpus: Math.round(input.caps.cpus * 1e9),
      // Separate CPUs for server and prober: the load generator must not steal the
      // server's cycles, or latency figures measure the harness.
      ...(input.caps.cpuset ? { CpusetCpus: input.caps.cpuset } : {}),
      // Fork bombs hit this, not the host's process table.
      PidsLimit: input.caps.pids,
      Ulimits: [
        { Name: 'nofile', Soft: 4096, Hard: 4096 },
        { Name: 'core', Soft: 0, Hard: 0 },
      ],
      // An init process reaps zombies the submission leaves behind and forwards signals.
      Init: true,
      IpcMode: 'private',
      // Caps what a chatty submission can write to the engine's disk.
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '1' } },
      AutoRemove: false,
    },
  };
}

/**
 * Holds the job's tmpfs volumes mounted for its whole life (a tmpfs volume is emptied when
 * no container mounts it). Runs only `sleep`; no submission code ever runs in it.
 */
export function keeperSpec(input: Omit<CommonInput, 'role' | 'cmd' | 'env' | 'caps'> & { volumes: string[] }): Docker.ContainerCreateOptions {
  const spec = hardened({ ...input, role: 'keeper', cmd: ['sleep', 'infinity'], env: {}, caps: { memoryMb: 16, cpus: 0.1, pids: 8, tmpfsMb: 1 } });
  spec.HostConfig = {
    ...spec.HostConfig,
    NetworkMode: 'none',
    Mounts: input.volumes.map((volume, index) => ({ Type: 'volume' as const, Source: volume, Target: `/held/${index}`, ReadOnly: true })),
  };
  return spec;
}

/** Install/build: the submission's files on a writable volume; the registry is reachable. */
export function buildSpec(
  input: Omit<CommonInput, 'role'> & { workspaceVolume: string; network: boolean; npmCache?: { volume: string; target: string } },
): Docker.ContainerCreateOptions {
  const spec = hardened({ ...input, role: 'build' });
  spec.WorkingDir = APP_DIR;
  spec.HostConfig = {
    ...spec.HostConfig,
    NetworkMode: input.network ? 'bridge' : 'none',
    Mounts: [
      { Type: 'volume', Source: input.workspaceVolume, Target: WORKSPACE_MOUNT, ReadOnly: false },
      ...(input.npmCache ? [{ Type: 'volume' as const, Source: input.npmCache.volume, Target: input.npmCache.target, ReadOnly: false }] : []),
    ],
  };
  return spec;
}

/** The candidate's server: built files read-only, no network at all. */
export function candidateSpec(input: Omit<CommonInput, 'role'> & { workspaceVolume: string }): Docker.ContainerCreateOptions {
  const spec = hardened({ ...input, role: 'candidate' });
  spec.WorkingDir = APP_DIR;
  spec.HostConfig = {
    ...spec.HostConfig,
    NetworkMode: 'none',
    Mounts: [{ Type: 'volume', Source: input.workspaceVolume, Target: WORKSPACE_MOUNT, ReadOnly: true }],
  };
  return spec;
}

/**
 * The prober joins the candidate's network namespace and nothing else: it reaches the
 * server on loopback, while the hidden checks stay in a volume only the prober mounts.
 */
export function proberSpec(
  input: Omit<CommonInput, 'role'> & { candidateId: string; codeVolume: string },
): Docker.ContainerCreateOptions {
  const spec = hardened({ ...input, role: 'prober' });
  spec.WorkingDir = PROBER_MOUNT;
  spec.HostConfig = {
    ...spec.HostConfig,
    NetworkMode: `container:${input.candidateId}`,
    // Writable only so the harness can copy the bundle in before start.
    Mounts: [{ Type: 'volume', Source: input.codeVolume, Target: PROBER_MOUNT, ReadOnly: false }],
  };
  return spec;
}
