import { describe, expect, it } from 'vitest';
import { MachineShare } from '../../../harness/phases/instance-slots.ts';

const tick = (ms = 5) => new Promise((resolve) => setTimeout(resolve, ms));

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
