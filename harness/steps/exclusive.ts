/**
 * Runs one task at a time per process. Load probes go through it, so gradings that run in
 * parallel (a batch, the mutant matrix) never measure each other's noise.
 */
export class Exclusive {
  private tail: Promise<unknown> = Promise.resolve();

  run<T>(task: () => Promise<T>): Promise<T> {
    const result = this.tail.then(task, task);
    this.tail = result.catch(() => undefined);
    return result;
  }
}
