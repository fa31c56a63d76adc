import { describe, expect, it } from 'vitest';
import { QueueClock } from '../../../harness/phases/queue-clock.ts';

/** A slot the test opens by hand: `take` waits until `open()` is called. */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, take: async <T>(inSlot: () => Promise<T>) => { await opened; return inSlot(); } };
}

describe('QueueClock', () => {
  it('does not count time spent only waiting for a slot', async () => {
    let now = 0;
    const clock = new QueueClock(() => now);
    const start = clock.mark();
    const slot = gate();
    let finish: () => void = () => undefined;
    const done = clock.slot(slot.take, () => new Promise<void>((resolve) => (finish = resolve)));
    now = 40_000; // queued 40 s behind other gradings
    expect(clock.isQueued).toBe(true);
    slot.open();
    await Promise.resolve();
    await Promise.resolve();
    now = 45_000; // then worked 5 s
    finish();
    await done;
    expect(clock.isQueued).toBe(false);
    expect(clock.queued()).toBe(40_000);
    expect(clock.workedSince(start)).toBe(5_000);
  });

  it('counts a wait as work while another task of the grading holds a slot', async () => {
    let now = 0;
    const clock = new QueueClock(() => now);
    const start = clock.mark();
    let finishFirst: () => void = () => undefined;
    const first = clock.slot((inSlot) => inSlot(), () => new Promise<void>((resolve) => (finishFirst = resolve)));
    const second = gate();
    const waiting = clock.slot(second.take, async () => undefined);
    now = 10_000; // the first instance runs while the second waits: the grading is working
    finishFirst();
    await first;
    now = 30_000; // now only the second waits: queued
    second.open();
    await waiting;
    expect(clock.workedSince(start)).toBe(10_000);
  });

  it('stops counting a wait that ends in an error before the slot', async () => {
    let now = 0;
    const clock = new QueueClock(() => now);
    const failing = clock.slot(async () => { now = 7_000; throw new Error('lock broken'); }, async () => undefined);
    await expect(failing).rejects.toThrow('lock broken');
    now = 9_000;
    expect(clock.isQueued).toBe(false);
    expect(clock.queued()).toBe(7_000);
  });

  it('does not count harness work set aside (an image loaded from a peer engine)', async () => {
    let now = 0;
    const clock = new QueueClock(() => now);
    const start = clock.mark();
    now = 1_000;
    await clock.aside(async () => {
      now = 61_000;
    });
    now = 62_000;
    expect(clock.workedSince(start)).toBe(2_000);
    await expect(clock.aside(async () => {
      now = 72_000;
      throw new Error('copy failed');
    })).rejects.toThrow('copy failed');
    expect(clock.workedSince(start)).toBe(2_000);
  });
});
