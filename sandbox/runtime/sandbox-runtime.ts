import type { Readable, Writable } from 'node:stream';

/**
 * The few operations grading needs from a container engine. One implementation per engine
 * (Docker today, in sandbox/docker/; a remote engine or a pool later) and an in-memory fake
 * for unit tests. Nothing outside sandbox/ talks to an engine any other way.
 */
export interface SandboxRuntime {
  /** 'docker', 'fake', …: shown in reports and `grader doctor`. */
  readonly kind: string;
  /** Where the engine is reached (DOCKER_HOST or the default socket), for messages. */
  readonly endpoint: string;

  /** Whether the engine answers, its version and CPU count; never throws. */
  probe(): Promise<EngineStatus>;

  /**
   * An image by reference when the engine has it (pulled first when `pull` is set and it
   * is missing); null when none. Which stand-in to try instead is the caller's policy.
   */
  findImage(reference: string, options?: { pull?: boolean; pullTimeoutMs?: number }): Promise<ImageInfo | null>;
  /** Creates an image from a root filesystem tarball (the offline stand-ins and the helper image). */
  importImage(tarball: Readable, options: ImportSpec): Promise<ImageInfo>;
  /** An image as a `docker save` archive (name, layers and config), to load into another engine. */
  saveImage(reference: string): Promise<Readable>;
  /** Loads a `saveImage` archive; the image keeps its name, labels and id. */
  loadImage(archive: Readable): Promise<void>;

  createVolume(spec: VolumeSpec): Promise<void>;
  /** A network of the job's own (the install steps' way out, through the egress proxy). */
  createNetwork(spec: NetworkCreateSpec): Promise<void>;
  /** Attaches a created container to one more network (before start: it gets its address at start). */
  connectNetwork(containerId: string, network: string): Promise<void>;
  /** A started container's address on a network it is attached to; null when it has none. */
  networkAddress(containerId: string, network: string): Promise<string | null>;
  /** A container created (not started) from an engine-neutral spec; hardening is the runtime's job. */
  createContainer(spec: ContainerSpec): Promise<ContainerHandle>;

  /** Containers (running or not), volumes and networks carrying every one of these labels. */
  listObjects(labels: Record<string, string>): Promise<LabelledObject[]>;
  /** Removes a container (killing it first), a volume or a network; an object already gone is no error. */
  removeObject(object: LabelledObject): Promise<void>;
  /** Bytes a volume uses on the engine's disk; null when the engine cannot tell. */
  volumeSize(name: string): Promise<number | null>;
}

export interface EngineStatus {
  reachable: boolean;
  version: string | null;
  endpoint: string;
  /** CPUs the engine can give containers (1 when unreachable or unknown). */
  ncpu: number;
  error: string | null;
  /** What the engine can enforce of a container's limits; null when unreachable or it does not say. */
  limits: EngineLimits | null;
}

export interface EngineLimits {
  memory: boolean;
  pids: boolean;
  cpu: boolean;
  /** How the engine keeps its cgroups, e.g. "v2 (systemd)". */
  cgroup: string;
}

export interface ImageInfo {
  name: string;
  id: string;
  labels: Record<string, string>;
}

/** What an imported root filesystem runs with; the engine turns it into its own image config. */
export interface ImportSpec {
  name: string;
  env?: Record<string, string>;
  labels?: Record<string, string>;
  /** The default command; none when absent. */
  cmd?: string[];
}

export interface VolumeSpec {
  name: string;
  labels: Record<string, string>;
  /** RAM-backed with a size cap (a job's workspace); otherwise on the engine's disk (caches). */
  tmpfs?: { sizeMb: number; uid: number; gid: number };
}

export interface NetworkCreateSpec {
  name: string;
  labels: Record<string, string>;
  /** No route out of it: its containers reach only each other (and what a member relays). */
  internal: boolean;
}

export interface Caps {
  memoryMb: number;
  cpus: number;
  pids: number;
  tmpfsMb: number;
  /** Pins the container to these CPUs ("0", "1-3"); candidate and prober get different ones. */
  cpuset?: string;
}

export type NetworkSpec =
  | { mode: 'none' }
  /** Reaches the outside (install steps: the package registries). */
  | { mode: 'egress' }
  /** Shares the network namespace of another container of the job (the prober). */
  | { mode: 'join'; containerId: string }
  /**
   * Only on this (internal) network of the job, where the egress proxy is the one way
   * out; `dns` are the servers names are asked of (the proxy, which refuses them).
   */
  | { mode: 'proxied'; network: string; dns: string[] };

export interface MountSpec {
  volume: string;
  target: string;
  readOnly: boolean;
}

/**
 * What to run and how tightly. Every container is hardened the same way by the runtime
 * (no capabilities, no new privileges, read-only root, tmpfs /tmp, an init, capped logs);
 * the spec says only what differs between roles.
 */
export interface ContainerSpec {
  name: string;
  image: string;
  cmd: string[];
  env: Record<string, string>;
  /** Numeric "uid:gid": works in any image, with or without a matching user. */
  user: string;
  workingDir?: string;
  caps: Caps;
  network: NetworkSpec;
  mounts: MountSpec[];
  labels: Record<string, string>;
  /**
   * Grants CAP_CHOWN and nothing else (the helper that hands a fresh cache volume to the
   * sandbox user runs as root with it); every other container has no capability at all.
   */
  privilegedChown?: boolean;
}

export interface ContainerState {
  running: boolean;
  /** null while running, before start, or when the engine no longer knows the container. */
  exitCode: number | null;
  oomKilled: boolean;
  /** When it ended, on the engine's clock (epoch ms); null while running or unknown. */
  finishedAtMs: number | null;
}

export interface ContainerHandle {
  readonly id: string;
  /** Extracts an uncompressed tar at `destination` (a mounted volume) before or after start. */
  copyIn(tar: Readable, destination: string): Promise<void>;
  /** Attaches the sinks (before start, so nothing is missed) and starts. */
  start(output: { stdout: Writable; stderr: Writable }): Promise<void>;
  /**
   * Resolves with the exit code once the started container exits, whether on its own or
   * killed (137); null if waiting failed or the container was removed without exiting.
   * Never rejects; never resolves before start.
   */
  exited(): Promise<number | null>;
  state(): Promise<ContainerState>;
  /** One memory reading (working set, bytes) per sample, until stopped; returns a stop function. */
  followMemory(onSample: (workingSetBytes: number) => void): Promise<() => void>;
  /** One immediate memory reading; null when the container is not running. */
  memoryNow(): Promise<number | null>;
  /**
   * The kernel's limit counters for the running container (forks refused at the pids
   * limit, OOM kills); null when the engine cannot tell (exited, remote, not exposed).
   */
  limitCounters(): Promise<LimitCounters | null>;
  /** SIGKILL; a container that is not running is no error. */
  kill(): Promise<void>;
  /** Waits (bounded) for attached output to flush after an exit. */
  drainOutput(): Promise<void>;
  /** Removes it (killing it first); already gone is no error. */
  remove(): Promise<void>;
}

/** Counters a cgroup keeps for the limits it enforces; null for one the engine does not expose. */
export interface LimitCounters {
  pidsRefused: number | null;
  oomKills: number | null;
}

export interface LabelledObject {
  kind: 'container' | 'volume' | 'network';
  /** Container id, volume name or network id. */
  id: string;
  /** Container, volume or network name, for messages. */
  name: string;
  labels: Record<string, string>;
}
