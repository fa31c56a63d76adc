import type { Manifest } from '../../core/manifest.ts';

/** What the machine offers the checks phase. */
export interface MachineShape {
  cpus: number;
  freeMemoryMb: number;
}

/** Most instances the checks phase of one grading runs at once, whatever the machine. */
export const MAX_PARALLEL_INSTANCES = 6;
/** The prober beside each instance: its memory cap (PROBER_CAPS). */
const PROBER_MEMORY_MB = 256;

/**
 * How many check instances of one grading may run at once. An instance spends most of its
 * life in the engine (create, copy, start, stop) and the rest waiting on the prober, so
 * three per CPU the server is allowed keep the cores busy: on 2 cores, 6 cut the checks
 * phase of the reference from 18 s (4 at once) to 15.6 s without starving the time-based
 * checks of their ≥ 1 s slack. The memory they may all claim must fit in half the free memory.
 */
export function instanceConcurrency(manifest: Manifest, machine: MachineShape): number {
  const byCpu = Math.floor((3 * machine.cpus) / Math.max(1, manifest.limits.cpus));
  const byMemory = Math.floor(machine.freeMemoryMb / 2 / (manifest.limits.memoryMb + PROBER_MEMORY_MB));
  return Math.max(1, Math.min(MAX_PARALLEL_INSTANCES, byCpu, byMemory));
}

/**
 * The checks phase's deadline for the work actually planned: the manifest's allowance for
 * the checks themselves, plus one measured start-up for every wave of instances (a heavy
 * or slow-booting server pays its start-up once per instance, and that is not check time).
 */
export function checksDeadlineMs(manifest: Manifest, instances: number, parallel: number, startupMs: number): number {
  const waves = Math.ceil(instances / Math.max(1, parallel));
  return manifest.deadlines.checks * 1000 + waves * startupMs;
}

/** What the start-ups cost, said when it is worth a reviewer's attention (over 3 s each). */
export function startupNote(instances: number, parallel: number, startupMs: number): string | null {
  if (startupMs < 3000) return null;
  const total = (instances * startupMs) / 1000;
  return `start-up ${(startupMs / 1000).toFixed(1)} s: the checks phase ran ${instances} instances (up to ${parallel} at once), ${total.toFixed(0)} s of start-up, added to its deadline`;
}
