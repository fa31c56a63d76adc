import { describe, expect, it } from 'vitest';
import { manifestSchema } from '../../../../core/manifest.ts';
import { checksDeadlineMs, instanceConcurrency, MAX_PARALLEL_INSTANCES, startupNote } from '../../../../harness/plan/instance-concurrency.ts';

const manifest = (limits: Record<string, number> = {}) => manifestSchema.parse({ id: 'x', version: '1', title: 'X', limits });

describe('instanceConcurrency', () => {
  it('runs three instances per CPU the server may use, up to the cap', () => {
    expect(instanceConcurrency(manifest(), { cpus: 2, freeMemoryMb: 20_000 })).toBe(6);
    expect(instanceConcurrency(manifest(), { cpus: 1, freeMemoryMb: 20_000 })).toBe(3);
    expect(instanceConcurrency(manifest(), { cpus: 64, freeMemoryMb: 200_000 })).toBe(MAX_PARALLEL_INSTANCES);
  });

  it('gives a server allowed two CPUs half as many companions', () => {
    expect(instanceConcurrency(manifest({ cpus: 2 }), { cpus: 2, freeMemoryMb: 20_000 })).toBe(3);
  });

  it('fits what every instance may claim into half the free memory, and never drops below one', () => {
    expect(instanceConcurrency(manifest({ memoryMb: 2048 }), { cpus: 8, freeMemoryMb: 6_000 })).toBe(1);
    expect(instanceConcurrency(manifest({ memoryMb: 4096 }), { cpus: 8, freeMemoryMb: 1_000 })).toBe(1);
  });
});

describe('checksDeadlineMs and startupNote', () => {
  it('adds one measured start-up per wave of instances to the checks allowance', () => {
    expect(checksDeadlineMs(manifest(), 22, 4, 2_000)).toBe(180_000 + 6 * 2_000);
    expect(checksDeadlineMs(manifest(), 22, 1, 14_000)).toBe(180_000 + 22 * 14_000);
  });

  it('says what slow start-ups cost, and stays quiet about quick ones', () => {
    expect(startupNote(6, 4, 14_000)).toBe('start-up 14.0 s: the checks phase ran 6 instances (up to 4 at once), 84 s of start-up, added to its deadline');
    expect(startupNote(22, 4, 1_500)).toBeNull();
  });
});

describe('longestFirst', () => {
  it('starts the instances that wait on purpose first, keeping plan order among equals', async () => {
    const { longestFirst } = await import('../../../../harness/plan/instance-runs.ts');
    const run = (id: string) => ({ kind: 'checks' as const, profile: 'rate_limit' as const, shared: false, label: id, checks: [{ id } as never] });
    const waits: Record<string, number> = { recovery: 4000, abuse: 4500 };
    const ordered = longestFirst([run('boundary'), run('recovery'), run('isolation'), run('abuse')], (check) => waits[check.id] ?? 0, () => 0);
    expect(ordered.map((r) => r.label)).toEqual(['abuse', 'recovery', 'boundary', 'isolation']);
  });
});
