import type Docker from 'dockerode';
import { z } from 'zod';

/** The part of the engine's stats answer we read; cgroup v1 and v2 name the figures alike here. */
const memoryStatsSchema = z.object({
  memory_stats: z
    .object({
      usage: z.number().nonnegative().optional(),
      stats: z.record(z.string(), z.number()).optional(),
    })
    .optional(),
});

export interface MemoryPeak {
  /** Highest working set seen (usage minus inactive file cache), in bytes; null before the first sample. */
  peakBytes: number | null;
  samples: number;
}

/**
 * Follows a container's memory from the engine's stats stream (about one sample a second)
 * and keeps the peak working set, the figure `docker stats` and the kubelet show: page
 * cache from reading the image's files is left out, so the figure is the process's own.
 * cgroup v1's `max_usage` would include that cache, and v2 has no peak at all.
 */
export class MemorySampler {
  private peak: number | null = null;
  private samples = 0;
  private stream: NodeJS.ReadableStream | null = null;
  private buffered = '';

  constructor(private readonly container: Docker.Container) {}

  /** Starts following; failures to read stats are quietly ignored (the figure stays null). */
  async start(): Promise<void> {
    try {
      const stream = (await this.container.stats({ stream: true })) as unknown as NodeJS.ReadableStream;
      this.stream = stream;
      stream.on('data', (chunk: Buffer) => this.consume(chunk.toString('utf8')));
      stream.on('error', () => undefined);
    } catch {
      this.stream = null;
    }
  }

  /** Takes one more reading (the stream samples only once a second), then stops following. */
  async stop(): Promise<MemoryPeak> {
    try {
      // one-shot: answer at once instead of waiting a second for a second CPU sample.
      const options = { stream: false, 'one-shot': true } as { stream: false };
      const once: unknown = await this.container.stats(options);
      this.record(once);
    } catch {
      // The container may be gone already; the streamed samples stand.
    }
    const stream = this.stream as (NodeJS.ReadableStream & { destroy?: () => void }) | null;
    stream?.destroy?.();
    this.stream = null;
    return this.read();
  }

  read(): MemoryPeak {
    return { peakBytes: this.peak, samples: this.samples };
  }

  private consume(text: string): void {
    this.buffered += text;
    let newline = this.buffered.indexOf('\n');
    while (newline >= 0) {
      const line = this.buffered.slice(0, newline).trim();
      this.buffered = this.buffered.slice(newline + 1);
      if (line) {
        try {
          this.record(JSON.parse(line));
        } catch {
          // A torn or foreign line: skip it, the next sample comes within a second.
        }
      }
      newline = this.buffered.indexOf('\n');
    }
    if (this.buffered.length > 1_000_000) this.buffered = '';
  }

  private record(raw: unknown): void {
    const workingSet = workingSetBytes(raw);
    if (workingSet === null) return;
    this.samples += 1;
    this.peak = Math.max(this.peak ?? 0, workingSet);
  }
}

/** usage − inactive_file (v2, and v1's total_inactive_file), as cAdvisor computes it; null when absent. */
export function workingSetBytes(raw: unknown): number | null {
  const parsed = memoryStatsSchema.safeParse(raw);
  const stats = parsed.success ? parsed.data.memory_stats : undefined;
  if (!stats || stats.usage === undefined || stats.usage === 0) return null;
  const inactive = stats.stats?.total_inactive_file ?? stats.stats?.inactive_file ?? 0;
  return Math.max(0, stats.usage - Math.min(inactive, stats.usage));
}
