import { availableParallelism } from 'node:os';
import { currentEngineScope } from '../machine-lock.ts';
import { MAX_PARALLEL_INSTANCES } from '../plan/instance-concurrency.ts';

/**
 * How this process shares the machine between gradings: check instances share it, up to
 * one budget for the whole process (a batch or a validate matrix does not multiply each
 * grading's parallelism), and a load probe has it alone — it waits for running check
 * instances to finish, and no new one starts until it is done, so its figures measure the
 * server, not its neighbours. A waiting load probe goes first, so a stream of check
 * instances cannot starve it.
 */
export class MachineShare {
  private running = 0;
  private exclusiveHeld = false;
  private exclusiveWaiting = 0;
  private readonly wakers: Array<() => void> = [];

  constructor(readonly size: number) {}

  async shared<T>(work: () => Promise<T>): Promise<T> {
    while (this.exclusiveHeld || this.exclusiveWaiting > 0 || this.running >= this.size) await this.wait();
    this.running += 1;
    try {
      return await work();
    } finally {
      this.running -= 1;
      this.wake();
    }
  }

  async exclusive<T>(work: () => Promise<T>): Promise<T> {
    this.exclusiveWaiting += 1;
    try {
      while (this.exclusiveHeld || this.running > 0) await this.wait();
    } finally {
      this.exclusiveWaiting -= 1;
    }
    this.exclusiveHeld = true;
    try {
      return await work();
    } finally {
      this.exclusiveHeld = false;
      this.wake();
    }
  }

  private wait(): Promise<void> {
    return new Promise((resolve) => this.wakers.push(resolve));
  }

  /** Every waiter re-checks its condition; the ones that cannot go wait again. */
  private wake(): void {
    for (const waker of this.wakers.splice(0)) waker();
  }
}

const SHARE_SIZE = Math.max(MAX_PARALLEL_INSTANCES, 2 * availableParallelism());

/** The machine's share: gradings outside an engine scope, and a pool's engines on this host. */
export const machineShare = new MachineShare(SHARE_SIZE);
const engineShares = new Map<string, MachineShare>();

/**
 * The share of the engine the caller grades on: a pool worker's engine with a lock of its
 * own (another host's CPUs) has a share of its own too, so a load probe there holds back
 * nothing on the other engines; everything else shares the machine's.
 */
export function currentShare(): MachineShare {
  const scope = currentEngineScope();
  if (scope === undefined) return machineShare;
  let share = engineShares.get(scope);
  if (!share) engineShares.set(scope, (share = new MachineShare(SHARE_SIZE)));
  return share;
}
