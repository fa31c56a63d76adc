/**
 * A grading's own time, without the time it spent only queued for the machine. On a busy
 * machine (a batch, a validate matrix, parallel test files) a check instance can wait
 * minutes behind other gradings' load probes; a deadline that counted that wait would
 * score the harness's queue as the candidate's slowness, so the checks deadline and the
 * whole-grading deadline read this clock instead of the wall.
 *
 * The grading is "queued" while at least one of its tasks waits for a slot and none holds
 * one: when one instance runs while another waits, the grading is working, and its time runs.
 */
export class QueueClock {
  private waiting = 0;
  private holding = 0;
  private queuedMs = 0;
  private queuedSince: number | null = null;
  /** Time the grading waited on harness work (see aside); may overlap a queue, which only errs in the candidate's favour. */
  private asideMs = 0;

  constructor(private readonly now: () => number = () => performance.now()) {}

  /**
   * Runs `work` through `take` (which calls its argument once it has a slot, after any
   * wait), counting the time before the slot as queued.
   */
  async slot<T>(take: (inSlot: () => Promise<T>) => Promise<T>, work: () => Promise<T>): Promise<T> {
    let entered = false;
    this.waiting += 1;
    this.update();
    try {
      return await take(async () => {
        entered = true;
        this.waiting -= 1;
        this.holding += 1;
        this.update();
        try {
          return await work();
        } finally {
          this.holding -= 1;
          this.update();
        }
      });
    } finally {
      if (!entered) {
        this.waiting -= 1;
        this.update();
      }
    }
  }

  /**
   * Runs harness work the grading must wait on but the candidate did not cause (an image
   * loaded from another engine of a pool): like a queue, no deadline counts its time.
   */
  async aside<T>(work: () => Promise<T>): Promise<T> {
    const started = this.now();
    try {
      return await work();
    } finally {
      this.asideMs += this.now() - started;
    }
  }

  /** Total time spent only queued (or aside) so far, including a queue still going on. */
  queued(): number {
    return this.queuedMs + this.asideMs + (this.queuedSince !== null ? this.now() - this.queuedSince : 0);
  }

  /** A point to measure working time from. */
  mark(): { at: number; queued: number } {
    return { at: this.now(), queued: this.queued() };
  }

  /** Time since `from` that was not spent only queued. */
  workedSince(from: { at: number; queued: number }): number {
    return this.now() - from.at - (this.queued() - from.queued);
  }

  /** Whether the grading is queued right now. */
  get isQueued(): boolean {
    return this.queuedSince !== null;
  }

  private update(): void {
    const queued = this.waiting > 0 && this.holding === 0;
    if (queued && this.queuedSince === null) this.queuedSince = this.now();
    if (!queued && this.queuedSince !== null) {
      this.queuedMs += this.now() - this.queuedSince;
      this.queuedSince = null;
    }
  }
}
