import { availableParallelism } from 'node:os';
import { MAX_PARALLEL_INSTANCES } from '../plan/instance-concurrency.ts';

/**
 * One budget of running check instances for the whole process, so a batch or a validate
 * matrix grading several submissions at once does not multiply each grading's parallelism
 * into more instances than the machine can keep on time.
 */
class InstanceSlots {
  private free: number;
  private readonly waiting: Array<() => void> = [];

  constructor(readonly size: number) {
    this.free = size;
  }

  async use<T>(work: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free -= 1;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free += 1;
    }
  }
}

export const instanceSlots = new InstanceSlots(Math.max(MAX_PARALLEL_INSTANCES, 2 * availableParallelism()));
