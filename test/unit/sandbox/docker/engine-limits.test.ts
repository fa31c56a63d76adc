import { describe, expect, it } from 'vitest';
import { engineLimits } from '../../../../sandbox/docker/probe-docker.ts';

describe('engineLimits', () => {
  it('reads what docker info states', () => {
    expect(engineLimits({ NCPU: 2, MemoryLimit: true, PidsLimit: true, CpuCfsQuota: true, CgroupVersion: '2', CgroupDriver: 'systemd' })).toEqual({ memory: true, pids: true, cpu: true, cgroup: 'v2 (systemd)' });
  });

  it('keeps a missing controller as false', () => {
    expect(engineLimits({ MemoryLimit: false, PidsLimit: true, CgroupVersion: '1', CgroupDriver: 'cgroupfs' })).toEqual({ memory: false, pids: true, cpu: false, cgroup: 'v1 (cgroupfs)' });
  });

  it('is null when the engine states nothing, or something unreadable', () => {
    expect(engineLimits({ NCPU: 4 })).toBeNull();
    expect(engineLimits({ MemoryLimit: 'yes', PidsLimit: true })).toBeNull();
    expect(engineLimits(null)).toBeNull();
  });
});
