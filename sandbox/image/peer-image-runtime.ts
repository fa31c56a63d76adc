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
export interface PeerImageOptions {
  /** How long a peer may take to say whether it has an image. */
  lookupTimeoutMs?: number;
  /** How long one copy (save there and load here) may take before the next peer is tried. */
  copyTimeoutMs?: number;
  /** How long "no engine of the pool has it" is remembered, so a lookup does not ask every peer each time. */
  missMemoryMs?: number;
}

/**
 * One engine of a pool that takes an image it lacks from another engine of the pool
 * (`docker save` there, `docker load` here) before it would pull. No registry reaches this
 * machine, and a stand-in built once should not be debootstrapped again on every engine:
 * images are built on one engine and copied to the others the first time a grading there
 * asks for them. Every call to a peer is bounded in time, so a peer that is gone or stalled
 * costs a grading seconds and then a clear "image missing" (a harness error), never a hang.
 * Everything else is the engine's own.
 */
export class PeerImageRuntime implements SandboxRuntime {
  readonly kind: string;
  readonly endpoint: string;
  /** One copy per image at a time in this process: gradings starting together wait for the same one. */
  private readonly copying = new Map<string, Promise<boolean>>();
  private readonly misses = new Map<string, number>();
  private readonly lookupTimeoutMs: number;
  private readonly copyTimeoutMs: number;
  private readonly missMemoryMs: number;

  constructor(
    /** The engine itself, for callers that must not copy (`grader doctor` only looks). */
    readonly own: SandboxRuntime,
    private readonly peers: readonly Peer[],
    private readonly onCopied: (copied: ImageCopied) => void = () => undefined,
    options: PeerImageOptions = {},
  ) {
    this.kind = own.kind;
    this.endpoint = own.endpoint;
    this.lookupTimeoutMs = options.lookupTimeoutMs ?? 5_000;
    this.copyTimeoutMs = options.copyTimeoutMs ?? 300_000;
    this.missMemoryMs = options.missMemoryMs ?? 30_000;
  }

  probe(): Promise<EngineStatus> {
    return this.own.probe();
  }

  async findImage(reference: string, options?: { pull?: boolean; pullTimeoutMs?: number }): Promise<ImageInfo | null> {
    const present = await this.own.findImage(reference);
    if (present) return present;
    const missedAt = this.misses.get(reference);
    if (missedAt === undefined || Date.now() - missedAt > this.missMemoryMs) {
      let copy = this.copying.get(reference);
      if (!copy) {
        copy = this.copyFromPeer(reference).finally(() => this.copying.delete(reference));
        this.copying.set(reference, copy);
      }
      if (await copy) return this.own.findImage(reference);
    }
    return options?.pull ? this.own.findImage(reference, options) : null;
  }

  /** The first peer that has the image, without copying it; null when none has (or answers in time). */
  async peerHaving(reference: string): Promise<string | null> {
    for (const peer of this.peers) if (await this.peerFind(peer, reference)) return peer.name;
    return null;
  }

  /** True when the image is here now (copied, or loaded meanwhile by another caller). */
  private async copyFromPeer(reference: string): Promise<boolean> {
    if (await this.own.findImage(reference)) return true;
    for (const peer of this.peers) {
      if (!(await this.peerFind(peer, reference))) continue;
      const started = performance.now();
      if (!(await this.copyOnce(peer, reference))) continue;
      if (!(await this.own.findImage(reference))) continue;
      this.onCopied({ image: reference, from: peer.name, ms: performance.now() - started });
      this.misses.delete(reference);
      return true;
    }
    this.misses.set(reference, Date.now());
    return false;
  }

  private peerFind(peer: Peer, reference: string): Promise<ImageInfo | null> {
    return within(this.lookupTimeoutMs, peer.runtime.findImage(reference), () => undefined).catch(() => null);
  }

  /** save → load within the copy timeout; both streams are torn down whatever happens. */
  private async copyOnce(peer: Peer, reference: string): Promise<boolean> {
    let archive: Readable | null = null;
    let abandoned = false;
    try {
      const saving = peer.runtime.saveImage(reference).then((stream) => {
        // A save that answers only after the timeout is torn down at once.
        if (abandoned) stream.destroy();
        return (archive = stream);
      });
      await within(this.copyTimeoutMs, saving.then((stream) => this.own.loadImage(stream)), () => {
        abandoned = true;
        archive?.destroy();
      });
      return true;
    } catch {
      return false;
    } finally {
      // A failed or abandoned load leaves the peer's save blocked on a socket nobody reads.
      (archive as Readable | null)?.destroy();
    }
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

/** `work` within `ms`, or a rejection after `onTimeout` has torn down what it started. */
function within<T>(ms: number, work: Promise<T>, onTimeout: () => void): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout();
      reject(new Error(`no answer within ${ms} ms`));
    }, ms);
  });
  // The loser of the race must not become an unhandled rejection.
  work.catch(() => undefined);
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
