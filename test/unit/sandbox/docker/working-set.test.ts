import { describe, expect, it } from 'vitest';
import { workingSetBytes } from '../../../../sandbox/docker/working-set.ts';

describe('workingSetBytes', () => {
  it('subtracts inactive file cache, as docker stats does (cgroup v1 and v2 field names)', () => {
    // Figures read from this machine's engine (cgroup v1) for a node process holding ~100 MB.
    expect(workingSetBytes({ memory_stats: { usage: 173_547_520, stats: { total_inactive_file: 71_868_416, inactive_file: 71_868_416 } } })).toBe(101_679_104);
    expect(workingSetBytes({ memory_stats: { usage: 50_000_000, stats: { inactive_file: 10_000_000 } } })).toBe(40_000_000);
  });

  it('has no figure for a stopped container or a foreign answer', () => {
    expect(workingSetBytes({ memory_stats: {} })).toBeNull();
    expect(workingSetBytes({ memory_stats: { usage: 0 } })).toBeNull();
    expect(workingSetBytes('nonsense')).toBeNull();
  });
});
