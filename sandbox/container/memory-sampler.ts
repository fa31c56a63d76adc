import type { ContainerHandle } from '../runtime/sandbox-runtime.ts';

export interface MemoryPeak {
  /** Highest working set seen (usage minus inactive file cache), in bytes; null before the first sample. */
  peakBytes: number | null;
  samples: number;
}

/**
 * Follows a container's memory from the engine (about one sample a second) and keeps the
 * peak working set, the figure `docker stats` and the kubelet show: page cache from reading
 * the image's files is left out, so the figure is the process's own.
 */
export class MemorySampler {
  private peak: number | null = null;
  private samples = 0;
  private stopFollowing: (() => void) | null = null;

  constructor(private readonly container: ContainerHandle) {}

  /** Starts following; failures to read memory are quietly ignored (the figure stays null). */
  async start(): Promise<void> {
    this.stopFollowing = await this.container.followMemory((bytes) => this.record(bytes)).catch(() => null);
  }

  /** Takes one more reading (the stream samples only once a second), then stops following. */
  async stop(): Promise<MemoryPeak> {
    // The container may be gone already; the streamed samples stand.
    const last = await this.container.memoryNow().catch(() => null);
    if (last !== null) this.record(last);
    this.stopFollowing?.();
    this.stopFollowing = null;
    return this.read();
  }

  read(): MemoryPeak {
    return { peakBytes: this.peak, samples: this.samples };
  }

  private record(bytes: number): void {
    this.samples += 1;
    this.peak = Math.max(this.peak ?? 0, bytes);
  }
}
