import { z } from 'zod';

export const loadSettingsSchema = z.object({
  /** Path (with query) the probe hammers. */
  path: z.string(),
  connections: z.number().int().min(1).max(1000),
  durationS: z.number().positive().max(600),
  warmupS: z.number().min(0).max(60),
  /** Most measured runs; fewer when the first `minRuns` already agree. */
  runs: z.number().int().min(1).max(20),
  /** Measured runs always taken (at most `runs`). */
  minRuns: z.number().int().min(1).max(20).default(2),
  /** Runs agree when max/min of p95 and of req/s are both within this ratio. */
  agreeWithin: z.number().min(1).default(1.15),
  seedCount: z.number().int().min(0).max(100_000),
  /** Per-request timeout: a request slower than this counts as a timeout, not a latency. */
  timeoutS: z.number().positive().max(60),
  /**
   * Who the traffic claims to be, as real clients would: each connection its own value of
   * the identity header (so a limiter's per-identity state stays the size one client makes),
   * or none when identity is the client address (every connection shares the prober's).
   */
  identities: z.object({ header: z.string().nullable(), count: z.number().int().min(1) }).default({ header: null, count: 1 }),
});
export type LoadSettings = z.infer<typeof loadSettingsSchema>;

export const latencySchema = z.object({
  p50: z.number(),
  p90: z.number(),
  p95: z.number(),
  p99: z.number(),
  max: z.number(),
});
export type Latency = z.infer<typeof latencySchema>;

export const loadRunSchema = z.object({
  durationS: z.number(),
  requests: z.number().int(),
  rps: z.number(),
  /** Milliseconds over 2xx responses only: errors are counted, not averaged in. */
  latencyMs: latencySchema,
  errors: z.number().int(),
  timeouts: z.number().int(),
  non2xx: z.record(z.string(), z.number().int()),
});
export type LoadRun = z.infer<typeof loadRunSchema>;

export const loadMeasurementSchema = z.object({
  settings: loadSettingsSchema,
  seeded: z.number().int(),
  runs: z.array(loadRunSchema),
  /** Median of the runs, figure by figure. */
  median: loadRunSchema.omit({ non2xx: true }),
  /** max/min of p95 and of req/s across runs. */
  spread: z.object({ p95: z.number(), rps: z.number() }),
  /** How many runs were taken and why no more: agreement, or the maximum. */
  stopReason: z.string().default(''),
  /**
   * The same fixed CPU workload timed in the prober just before the warm-up and just after
   * the last run: when they differ, something else took the machine during the measurement.
   */
  calibration: z.object({ beforeMs: z.number(), afterMs: z.number(), drift: z.number() }).nullable().default(null),
});
export type LoadMeasurement = z.infer<typeof loadMeasurementSchema>;
