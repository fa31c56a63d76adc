import { describe, expect, it } from 'vitest';
import { pickEngine, workerConcurrency, type EngineSlots } from '../../../../harness/queue/pick-engine.ts';

const engine = (name: string, slots: number, busy = 0, healthy = true): EngineSlots => ({ name, slots, busy, healthy });

describe('pickEngine', () => {
  it('spreads jobs to the engine with the most free slots, first listed on a tie', () => {
    expect(pickEngine([engine('a', 2, 1), engine('b', 2, 0)], [])).toBe('b');
    expect(pickEngine([engine('a', 2), engine('b', 2)], [])).toBe('a');
  });

  it('never picks a full or unhealthy engine', () => {
    expect(pickEngine([engine('a', 1, 1), engine('b', 4, 0, false)], [])).toBeNull();
  });

  it('sends a job that failed on an engine elsewhere, waiting for a busy healthy one rather than going back', () => {
    expect(pickEngine([engine('a', 2), engine('b', 2, 1)], ['a'])).toBe('b');
    expect(pickEngine([engine('a', 2), engine('b', 1, 1)], ['a'])).toBeNull();
  });

  it('goes back to a failed engine only when no other is healthy', () => {
    expect(pickEngine([engine('a', 2), engine('b', 2, 0, false)], ['a'])).toBe('a');
    expect(pickEngine([engine('a', 2), engine('b', 2)], ['a', 'b'])).toBe('a');
  });

  it('sizes the worker to the healthy engines\' slots', () => {
    expect(workerConcurrency([engine('a', 2, 2), engine('b', 3), engine('c', 4, 0, false)])).toBe(5);
    expect(workerConcurrency([engine('a', 2, 0, false)])).toBe(0);
  });
});
