import type { Manifest } from '../../core/manifest.ts';
import type { Caps } from '../../sandbox/runtime/sandbox-runtime.ts';

export const PROBER_CAPS: Caps = { memoryMb: 256, cpus: 1, pids: 64, tmpfsMb: 16 };
/** A hidden suite's runner may fork workers (node --test, vitest) and needs room for them. */
export const SUITE_CAPS: Caps = { memoryMb: 1024, cpus: 1, pids: 256, tmpfsMb: 64 };

/** What one candidate instance may use. */
export function instanceCaps(manifest: Manifest, cpuset?: string): Caps {
  const { memoryMb, cpus, pids, tmpfsMb } = manifest.limits;
  return { memoryMb, cpus, pids, tmpfsMb, ...(cpuset !== undefined ? { cpuset } : {}) };
}

/** Install and build get more memory, a bigger /tmp and more processes than the server. */
export function buildCaps(manifest: Manifest): Caps {
  return { ...instanceCaps(manifest), memoryMb: manifest.limits.buildMemoryMb, tmpfsMb: 1024, pids: 512 };
}

/** With two or more CPUs the server gets the first and the prober the last, so load figures measure the server. */
export function cpusets(ncpu: number): { candidate?: string; prober?: string } {
  return ncpu >= 2 ? { candidate: '0', prober: String(ncpu - 1) } : {};
}
