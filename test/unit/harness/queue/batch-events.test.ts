import { describe, expect, it } from 'vitest';
import { batchEvents } from '../../../../harness/queue/follow-jobs.ts';
import type { QueueStatus } from '../../../../harness/queue/queue-status.ts';

const empty = (): QueueStatus => ({ waiting: [], running: [], done: [], failed: [], unreadable: [] });
const running = (key: string, phase: string | null) => ({ candidate: key, key, engine: 'host', worker: 'w', phase, elapsedMs: 1, phaseMs: 1 });

describe('progress of a batch through the queue', () => {
  it('tells each row once per change: waiting, each phase, done or failed; other batches\' jobs are not its rows', () => {
    const keys = new Map([['k1', 'alice'], ['k2', 'bob']]);
    const seen = new Map<string, string>();
    const first = { ...empty(), waiting: [{ candidate: 'alice', key: 'k1', waitedMs: 0, retry: false }, { candidate: 'x', key: 'other', waitedMs: 0, retry: false }], running: [running('k2', 'install')] };
    expect(batchEvents(first, keys, seen, 0, 1000)).toEqual([{ kind: 'queued', candidate: 'alice' }, { kind: 'phase', candidate: 'bob', phase: 'install', elapsedMs: 1000 }]);
    expect(batchEvents(first, keys, seen, 0, 2000)).toEqual([]);
    const second = { ...empty(), running: [running('k1', 'waiting-for-engine')], failed: [{ candidate: 'bob', key: 'k2', reason: 'engine gone', attempts: 3 }] };
    expect(batchEvents(second, keys, seen, 0, 3000)).toEqual([{ kind: 'failed', candidate: 'bob', elapsedMs: 3000, message: 'engine gone' }]);
    const third = { ...empty(), done: [{ candidate: 'alice', key: 'k1', score: '90/100', gradable: true, engine: 'host', attempt: 1, waitedMs: 5 }] };
    expect(batchEvents(third, keys, seen, 0, 4000)).toEqual([{ kind: 'done', candidate: 'alice', elapsedMs: 4000, score: '90/100', gradable: true }]);
  });
});
