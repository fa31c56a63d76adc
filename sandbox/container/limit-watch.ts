import type { ContainerHandle, LimitCounters } from '../runtime/sandbox-runtime.ts';

const EVERY_MS = 1_000;

/**
 * Follows a container's limit counters while it runs and keeps the highest reading: the
 * kernel drops the cgroup (and its counters) when the container exits, so the last
 * reading before that is what the report can say. A one-second poll of two small files
 * costs nothing; a fork bomb that starts and ends within one poll of the exit is missed,
 * which the report's "watched" line admits.
 */
export class LimitWatch {
  private timer: NodeJS.Timeout | undefined;
  private highest: LimitCounters | null = null;
  private reading: Promise<void> = Promise.resolve();

  constructor(private readonly handle: ContainerHandle) {}

  start(): void {
    this.read();
    this.timer = setInterval(() => this.read(), EVERY_MS);
    this.timer.unref();
  }

  /** One more reading (while the container still runs), then no more. */
  async stop(): Promise<LimitCounters | null> {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
    await this.reading;
    await this.readNow();
    return this.highest;
  }

  /** The highest counters seen so far; null when the engine never gave any. */
  get counters(): LimitCounters | null {
    return this.highest;
  }

  private read(): void {
    this.reading = this.reading.then(() => this.readNow());
  }

  private async readNow(): Promise<void> {
    const now = await this.handle.limitCounters().catch(() => null);
    if (!now) return;
    const prior = this.highest;
    this.highest = {
      pidsRefused: maxOf(prior?.pidsRefused ?? null, now.pidsRefused),
      oomKills: maxOf(prior?.oomKills ?? null, now.oomKills),
    };
  }
}

function maxOf(a: number | null, b: number | null): number | null {
  if (a === null) return b;
  if (b === null) return a;
  return Math.max(a, b);
}
