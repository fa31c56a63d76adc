import type { Readable } from 'node:stream';
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

export interface ImageCopied {
  image: string;
  from: string;
  ms: number;
}

export interface Peer {
  name: string;
  runtime: SandboxRuntime;
}

/**
 * One engine of a pool that takes an image it lacks from another engine of the pool
 * (`docker save` there, `docker load` here) before it would pull. No registry reaches this
 * machine, and a stand-in built once should not be debootstrapped again on every engine:
 * images are built on one engine and copied to the others the first time a grading there
 * asks for them. Everything else is the engine's own.
 */
export class PeerImageRuntime implements SandboxRuntime {
  readonly kind: string;
  readonly endpoint: string;
  /** One copy per image at a time: gradings starting together on a new engine wait for the same one. */
  private readonly copying = new Map<string, Promise<boolean>>();

  constructor(
    /** The engine itself, for callers that must not copy (`grader doctor` only looks). */
    readonly own: SandboxRuntime,
    private readonly peers: readonly Peer[],
    private readonly onCopied: (copied: ImageCopied) => void = () => undefined,
  ) {
    this.kind = own.kind;
    this.endpoint = own.endpoint;
  }

  probe(): Promise<EngineStatus> {
    return this.own.probe();
  }

  async findImage(reference: string, options?: { pull?: boolean; pullTimeoutMs?: number }): Promise<ImageInfo | null> {
    const present = await this.own.findImage(reference);
    if (present) return present;
    let copy = this.copying.get(reference);
    if (!copy) {
      copy = this.copyFromPeer(reference).finally(() => this.copying.delete(reference));
      this.copying.set(reference, copy);
    }
    if (await copy) return this.own.findImage(reference);
    return options?.pull ? this.own.findImage(reference, options) : null;
  }

  /** The first peer that has the image, without copying it; null when none has. */
  async peerHaving(reference: string): Promise<string | null> {
    for (const peer of this.peers) if (await peer.runtime.findImage(reference).catch(() => null)) return peer.name;
    return null;
  }

  /** True when a peer had the image and it is now here too; a peer that cannot give it is skipped. */
  private async copyFromPeer(reference: string): Promise<boolean> {
    for (const peer of this.peers) {
      const found = await peer.runtime.findImage(reference).catch(() => null);
      if (!found) continue;
      const started = performance.now();
      try {
        await this.own.loadImage(await peer.runtime.saveImage(reference));
      } catch {
        continue;
      }
      if (!(await this.own.findImage(reference))) continue;
      this.onCopied({ image: reference, from: peer.name, ms: performance.now() - started });
      return true;
    }
    return false;
  }

  importImage(tarball: Readable, options: ImportSpec): Promise<ImageInfo> {
    return this.own.importImage(tarball, options);
  }

  saveImage(reference: string): Promise<Readable> {
    return this.own.saveImage(reference);
  }

  loadImage(archive: Readable): Promise<void> {
    return this.own.loadImage(archive);
  }

  createVolume(spec: VolumeSpec): Promise<void> {
    return this.own.createVolume(spec);
  }

  createNetwork(spec: NetworkCreateSpec): Promise<void> {
    return this.own.createNetwork(spec);
  }

  connectNetwork(containerId: string, network: string): Promise<void> {
    return this.own.connectNetwork(containerId, network);
  }

  networkAddress(containerId: string, network: string): Promise<string | null> {
    return this.own.networkAddress(containerId, network);
  }

  createContainer(spec: ContainerSpec): Promise<ContainerHandle> {
    return this.own.createContainer(spec);
  }

  listObjects(labels: Record<string, string>): Promise<LabelledObject[]> {
    return this.own.listObjects(labels);
  }

  removeObject(object: LabelledObject): Promise<void> {
    return this.own.removeObject(object);
  }

  volumeSize(name: string): Promise<number | null> {
    return this.own.volumeSize(name);
  }
}
