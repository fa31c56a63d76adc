import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { withEngineScope } from '../../../harness/machine-lock.ts';
import { MachineShare, currentShare, machineShare } from '../../../harness/phases/instance-slots.ts';

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

/** Lock files in a cache folder of the test's own, so a real grading's locks are never touched. */
async function withTempCache(work: () => Promise<void>): Promise<void> {
  const previous = process.env.GRADER_CACHE_DIR;
  process.env.GRADER_CACHE_DIR = await mkdtemp(path.join(tmpdir(), 'tg-lock-'));
  try {
    await work();
  } finally {
    if (previous === undefined) delete process.env.GRADER_CACHE_DIR;
    else process.env.GRADER_CACHE_DIR = previous;
  }
}

describe('MachineShare: check instances share the machine, a load probe has it alone', () => {
  it('caps the shared work at its size', async () => {
    const share = new MachineShare(2);
    let running = 0;
    let most = 0;
    await Promise.all(Array.from({ length: 6 }, () => share.shared(async () => {
      running += 1;
      most = Math.max(most, running);
      await tick();
      running -= 1;
    })));
    expect(most).toBe(2);
  });

  it('starts a load probe only when no instance runs, and no instance while it runs or waits', async () => {
    const share = new MachineShare(4);
    const events: string[] = [];
    const instance = (name: string, ms: number) => share.shared(async () => {
      events.push(`${name} start`);
      await tick(ms);
      events.push(`${name} end`);
    });
    const first = instance('a', 20);
    await tick(1);
    const load = share.exclusive(async () => {
      events.push('load start');
      await tick(10);
      events.push('load end');
    });
    await tick(1);
    const late = instance('b', 1);
    await Promise.all([first, load, late]);
    expect(events).toEqual(['a start', 'a end', 'load start', 'load end', 'b start', 'b end']);
  });
});

describe('the machine lock across processes', () => {
  it('a load probe waits for registered check instances; an instance waits while a probe holds the lock', async () => {
    await withTempCache(async () => {
      const { waitForNoSharers, withMachineLock, withSharedMachine } = await import('../../../harness/machine-lock.ts');
      const events: string[] = [];
      const instance = withSharedMachine(async () => {
        events.push('instance start');
        await tick(150);
        events.push('instance end');
      });
      await tick(20);
      const probe = withMachineLock('load-probe', async () => {
        await waitForNoSharers();
        events.push('probe start');
        await tick(400);
        events.push('probe end');
      });
      await tick(250);
      const late = withSharedMachine(async () => {
        events.push('late start');
      });
      await Promise.all([instance, probe, late]);
      expect(events).toEqual(['instance start', 'instance end', 'probe start', 'probe end', 'late start']);
    });
  });
});

describe('one budget of instances for the whole machine', () => {
  it('never runs more registered instances than the limit, whichever caller they come from', async () => {
    await withTempCache(async () => {
      const { withSharedMachine } = await import('../../../harness/machine-lock.ts');
      let running = 0;
      let most = 0;
      await Promise.all(Array.from({ length: 6 }, () => withSharedMachine(async () => {
        running += 1;
        most = Math.max(most, running);
        await tick(60);
        running -= 1;
      }, 2)));
      expect(most).toBeLessThanOrEqual(2);
      expect(most).toBeGreaterThanOrEqual(1);
    });
  });
});

describe('currentShare: one share per engine with a lock of its own', () => {
  it('is the machine\'s outside a scope, and one per engine scope inside', async () => {
    expect(currentShare()).toBe(machineShare);
    const a = await withEngineScope('engine-a', async () => currentShare());
    const again = await withEngineScope('engine-a', async () => currentShare());
    const b = await withEngineScope('engine-b', async () => currentShare());
    expect(a).toBe(again);
    expect(a).not.toBe(machineShare);
    expect(b).not.toBe(a);
  });

  it('a load probe on one engine holds back no check instance on another', async () => {
    let release = () => undefined as void;
    const probing = withEngineScope('engine-a', () => currentShare().exclusive(() => new Promise<void>((resolve) => (release = resolve))));
    await tick();
    const other = await withEngineScope('engine-b', () => currentShare().shared(async () => 'ran'));
    expect(other).toBe('ran');
    let sameEngine = 'waiting';
    const blocked = withEngineScope('engine-a', () => currentShare().shared(async () => (sameEngine = 'ran')));
    await tick(20);
    expect(sameEngine).toBe('waiting');
    release();
    await Promise.all([probing, blocked]);
    expect(sameEngine).toBe('ran');
  });
});

