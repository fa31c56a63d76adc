export interface LeaseSettings {
  /** BullMQ lockDuration: a worker renews its job's lock every half of it. */
  lockDuration: number;
  /** How often workers look for jobs whose lock has lapsed (a killed worker's). */
  stalledInterval: number;
  /** Lapses a job survives before it is failed instead of retried (a poison job that kills workers). */
  maxStalledCount: number;
}

export const DEFAULT_LEASE_MS = 20_000;

/**
 * A killed worker's job is taken back once its lock lapses and the next stalled-job check
 * runs: at most lease + stalledInterval after the last renewal. The interval is a third
 * of the lease, capped at 10 s, so the retry comes within lease + 10 s; a short lease
 * costs a renewal (one Redis call) every lease/2 per running job.
 */
export function leaseSettings(leaseMs: number): LeaseSettings {
  if (!Number.isInteger(leaseMs) || leaseMs < 5_000 || leaseMs > 600_000) throw new RangeError(`lease must be 5–600 s, got ${leaseMs} ms`);
  return { lockDuration: leaseMs, stalledInterval: Math.min(10_000, Math.round(leaseMs / 3)), maxStalledCount: 2 };
}
