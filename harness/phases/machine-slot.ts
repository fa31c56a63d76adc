import type { GradingRun } from '../grading-run.ts';
import { withMachineLock, waitForNoSharers, withSharedMachine } from '../machine-lock.ts';
import { currentShare } from './instance-slots.ts';

/**
 * Work that uses the machine beside other gradings (an install, a build, the candidate's
 * own tests, a check instance): it shares the machine with them, in this process and across
 * processes, but never runs during another grading's load probe. The wait is queue time,
 * which the grading's deadlines do not count.
 */
export function sharingMachine<T>(run: GradingRun, work: () => Promise<T>): Promise<T> {
  return run.clock.slot((inSlot) => currentShare().shared(() => withSharedMachine(inSlot)), work);
}

/**
 * A load measurement: alone in this process (no check instance, install or build of
 * another grading runs beside it), alone on the machine among load probes (the lock file),
 * and only after the shared work of other processes (parallel test files, a second batch)
 * has finished. All that waiting is queue time too.
 */
export function owningMachine<T>(run: GradingRun, work: () => Promise<T>): Promise<T> {
  return run.clock.slot(
    (inSlot) =>
      currentShare().exclusive(() =>
        withMachineLock('load-probe', async () => {
          await waitForNoSharers();
          return inSlot();
        }),
      ),
    work,
  );
}
