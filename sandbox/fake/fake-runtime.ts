import { Readable } from 'node:stream';
import { LABELS } from '../labels.ts';
import type {
  ContainerHandle,
  ContainerSpec,
  EngineStatus,
  ImageInfo,
  ImportSpec,
  LabelledObject,
  NetworkCreateSpec,
  SandboxRuntime,
  VolumeSpec,
} from '../runtime/sandbox-runtime.ts';
import type { DeniedAttempt } from '../egress/proxy-server.ts';
import { FAKE_MEMORY_BYTES, FakeContainer } from './fake-container.ts';
import { FakeEgressProxy } from './fake-egress-proxy.ts';

export { FAKE_MEMORY_BYTES };

/** What a build step does: exit code, what it prints, how long it takes. */
export interface FakeBuild {
  exitCode: number;
  output?: string;
  delayMs?: number;
  /** Forks the cgroup refused at the pids limit, as the kernel's counter would say. */
  pidsRefused?: number;
}

/** What a candidate does: prints, then runs until killed (exitAfterMs null) or exits on its own. */
export interface FakeCandidate {
  output?: string;
  exitAfterMs?: number | null;
  /** Default 137 when oomKilled, else 1. */
  exitCode?: number;
  oomKilled?: boolean;
  /** Forks the cgroup refused at the pids limit, as the kernel's counter would say. */
  pidsRefused?: number;
}

/** What the prober prints (NDJSON lines) and how it exits. */
export interface FakeProber {
  lines: string[];
  exitCode?: number;
  delayMs?: number;
}

export interface FakeRuntimeScript {
  /** Present images, name → id; by default every name is present as 'sha256:fake-<name>'. */
  images?: Record<string, string>;
  build?: (spec: ContainerSpec) => FakeBuild;
  candidate?: (spec: ContainerSpec) => FakeCandidate;
  /** `input` is the parsed input.json copied into the prober. */
  prober?: (input: unknown, context: { candidateRunning: () => boolean }) => FakeProber;
  ncpu?: number;
  /** What the job's egress proxy refuses while this (proxied) build step runs. */
  egressDenied?: (spec: ContainerSpec) => DeniedAttempt[];
}

export type FakeEventType = 'create' | 'start' | 'kill' | 'remove' | 'copy-in' | 'volume' | 'network';

export interface FakeEvent {
  type: FakeEventType;
  /** The object's `io.takehome-grader.role` label; 'cache' for a cache volume, 'unknown' without one. */
  role: string;
  name: string;
  spec?: ContainerSpec;
}

export interface FakeObject {
  kind: 'container' | 'volume' | 'network';
  name: string;
  role: string;
  /** Containers only. */
  running?: boolean;
}

/**
 * An engine in memory, for unit tests of the pipeline without Docker. Containers behave by
 * role (read from their labels) as the script says, and like the engine wherever the
 * pipeline can tell: nothing exits before start, a kill exits with 137, and joining the
 * network of a container that is not running is refused.
 */
export class FakeRuntime implements SandboxRuntime {
  readonly kind = 'fake';
  readonly endpoint = 'fake://';
  readonly events: FakeEvent[] = [];
  private readonly images: Map<string, ImageInfo>;
  private readonly containers = new Map<string, FakeContainer | FakeEgressProxy>();
  private readonly volumes = new Map<string, VolumeSpec>();
  /** Networks by name, with the ids of the containers attached. */
  private readonly networks = new Map<string, NetworkCreateSpec & { members: Set<string> }>();
  private nextId = 0;

  constructor(readonly script: FakeRuntimeScript = {}) {
    this.images = new Map(Object.entries(script.images ?? {}).map(([name, id]) => [name, { name, id, labels: {} }]));
  }

  /** Containers and volumes not removed yet. */
  live(): FakeObject[] {
    return [
      ...[...this.containers.values()].map((container) => ({ kind: 'container' as const, name: container.spec.name, role: roleOf(container.spec.labels), running: container.running })),
      ...[...this.volumes.values()].map((volume) => ({ kind: 'volume' as const, name: volume.name, role: roleOf(volume.labels) })),
      ...[...this.networks.values()].map((network) => ({ kind: 'network' as const, name: network.name, role: roleOf(network.labels) })),
    ];
  }

  /** @internal the containers' own record of what happened to them. */
  record(type: FakeEventType, labels: Record<string, string>, name: string, spec?: ContainerSpec): void {
    this.events.push({ type, role: roleOf(labels), name, ...(spec ? { spec } : {}) });
  }

  /** @internal */
  container(id: string): FakeContainer | FakeEgressProxy | undefined {
    return this.containers.get(id);
  }

  /** @internal */
  forget(container: { id: string }): void {
    this.containers.delete(container.id);
    for (const network of this.networks.values()) network.members.delete(container.id);
  }

  async probe(): Promise<EngineStatus> {
    return { reachable: true, version: 'fake', endpoint: this.endpoint, ncpu: this.script.ncpu ?? 4, error: null, limits: { memory: true, pids: true, cpu: true, cgroup: 'v2 (fake)' } };
  }

  async findImage(reference: string, _options?: { pull?: boolean; pullTimeoutMs?: number }): Promise<ImageInfo | null> {
    if (!this.script.images) return this.images.get(reference) ?? { name: reference, id: `sha256:fake-${reference}`, labels: {} };
    return this.images.get(reference) ?? null;
  }

  async importImage(tarball: Readable, spec: ImportSpec): Promise<ImageInfo> {
    tarball.resume();
    const image = { name: spec.name, id: `sha256:fake-${spec.name}`, labels: spec.labels ?? {} };
    this.images.set(spec.name, image);
    return image;
  }

  async saveImage(reference: string): Promise<Readable> {
    const image = await this.findImage(reference);
    if (!image) throw new Error(`No such image: ${reference}`);
    return Readable.from([JSON.stringify(image)]);
  }

  async loadImage(archive: Readable): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of archive) chunks.push(Buffer.from(chunk as Buffer));
    const image = JSON.parse(Buffer.concat(chunks).toString('utf8')) as ImageInfo;
    this.images.set(image.name, image);
  }

  async createVolume(spec: VolumeSpec): Promise<void> {
    if (this.volumes.has(spec.name)) return;
    this.volumes.set(spec.name, spec);
    this.record('volume', spec.labels, spec.name);
  }

  async createNetwork(spec: NetworkCreateSpec): Promise<void> {
    if (this.networks.has(spec.name)) throw new Error(`network with name ${spec.name} already exists`);
    this.networks.set(spec.name, { ...spec, members: new Set() });
    this.record('network', spec.labels, spec.name);
  }

  async connectNetwork(containerId: string, network: string): Promise<void> {
    const target = this.networks.get(network);
    if (!target) throw new Error(`network ${network} not found`);
    if (!this.containers.has(containerId)) throw new Error(`No such container: ${containerId}`);
    target.members.add(containerId);
  }

  async networkAddress(containerId: string, network: string): Promise<string | null> {
    const target = this.networks.get(network);
    if (!target?.members.has(containerId) || !this.containers.get(containerId)?.running) return null;
    return `10.99.0.${[...target.members].indexOf(containerId) + 2}`;
  }

  async createContainer(spec: ContainerSpec): Promise<ContainerHandle> {
    if (!(await this.findImage(spec.image))) throw new Error(`No such image: ${spec.image}`);
    this.assertCanJoin(spec);
    for (const mount of spec.mounts) {
      if (!this.volumes.has(mount.volume)) throw new Error(`no such volume: ${mount.volume}`);
    }
    const proxied = spec.network.mode === 'proxied' ? this.networks.get(spec.network.network) : undefined;
    if (spec.network.mode === 'proxied' && !proxied) throw new Error(`network ${spec.network.network} not found`);
    this.nextId += 1;
    const id = `fake-${this.nextId}`;
    const container = roleOf(spec.labels) === 'egress-proxy' ? new FakeEgressProxy(this, id, spec) : new FakeContainer(this, id, spec);
    this.containers.set(container.id, container);
    proxied?.members.add(id);
    this.record('create', spec.labels, spec.name, spec);
    if (proxied) {
      // The proxy on that network says what it refused while the step ran (before the step ends, as in a real run).
      const denied = this.script.egressDenied?.(spec) ?? [];
      for (const member of proxied.members) {
        const proxy = this.containers.get(member);
        if (proxy instanceof FakeEgressProxy) proxy.deny(denied);
      }
    }
    return container;
  }

  /**
   * @internal Joining the namespace of a container that is not running is refused. Docker
   * refuses it at start; the fake refuses it at create too, so a test sees the attempt fail
   * as early as it can (the job treats both the same way).
   */
  assertCanJoin(spec: ContainerSpec): void {
    if (spec.network.mode !== 'join') return;
    const target = this.containers.get(spec.network.containerId);
    if (!target?.running) throw new Error(`cannot join network of a non running container: ${spec.network.containerId}`);
  }

  async listObjects(labels: Record<string, string>): Promise<LabelledObject[]> {
    const matches = (objectLabels: Record<string, string>) => Object.entries(labels).every(([key, value]) => objectLabels[key] === value);
    return [
      ...[...this.containers.values()]
        .filter((container) => matches(container.spec.labels))
        .map((container) => ({ kind: 'container' as const, id: container.id, name: container.spec.name, labels: container.spec.labels })),
      ...[...this.volumes.values()]
        .filter((volume) => matches(volume.labels))
        .map((volume) => ({ kind: 'volume' as const, id: volume.name, name: volume.name, labels: volume.labels })),
      ...[...this.networks.values()]
        .filter((network) => matches(network.labels))
        .map((network) => ({ kind: 'network' as const, id: network.name, name: network.name, labels: network.labels })),
    ];
  }

  async removeObject(object: LabelledObject): Promise<void> {
    if (object.kind === 'container') {
      await this.containers.get(object.id)?.remove();
      return;
    }
    if (object.kind === 'network') {
      const network = this.networks.get(object.id);
      if (!network) return;
      if (network.members.size > 0) throw new Error(`error while removing network: network ${object.id} has active endpoints`);
      this.networks.delete(object.id);
      this.record('remove', network.labels, network.name);
      return;
    }
    const volume = this.volumes.get(object.id);
    if (!volume) return;
    const user = [...this.containers.values()].find((container) => container.spec.mounts.some((mount) => mount.volume === object.id));
    if (user) throw new Error(`remove ${object.id}: volume is in use by ${user.spec.name}`);
    this.volumes.delete(object.id);
    this.record('remove', volume.labels, volume.name);
  }

  async volumeSize(name: string): Promise<number | null> {
    return this.volumes.has(name) ? 0 : null;
  }
}

/** A cache volume has no role label (it belongs to no job); it shows as 'cache'. */
function roleOf(labels: Record<string, string>): string {
  return labels[LABELS.role] ?? (labels[LABELS.cache] !== undefined ? 'cache' : 'unknown');
}
