import { z } from 'zod';
import { instanceProfileSchema } from '../../core/profiles.ts';
import { checkStatusSchema, evidenceSchema } from '../../core/report.ts';
import { loadMeasurementSchema, loadSettingsSchema } from '../../core/load.ts';
import { checkParamsSchema } from '../../core/check-params.ts';

/** What the harness hands the prober (a file copied into the prober container). */
export const proberInputSchema = z.object({
  baseUrl: z.string().url(),
  instance: instanceProfileSchema,
  readiness: z.object({
    path: z.string(),
    deadlineMs: z.number().int().positive(),
    intervalMs: z.number().int().positive(),
  }),
  checkIds: z.array(z.string()),
  checkTimeoutMs: z.number().int().positive(),
  params: checkParamsSchema,
  nonce: z.string(),
  /** 'load': instead of checks, seed, warm up and measure throughput and latency. */
  mode: z.enum(['checks', 'load', 'suite']).default('checks'),
  load: loadSettingsSchema.optional(),
  /** 'suite': run an assignment's hidden test suite against the server through a recording proxy. */
  suite: z
    .object({
      command: z.array(z.string()).min(1),
      /** Where the suite's files were copied, inside the prober. */
      cwd: z.string(),
      timeoutMs: z.number().int().positive(),
      /** A JUnit XML file the command writes, relative to cwd; null for TAP on stdout. */
      junitFile: z.string().nullable(),
    })
    .optional(),
});
export type ProberInput = z.infer<typeof proberInputSchema>;

/**
 * The prober prints one JSON object per line (NDJSON): the readiness outcome, one line per
 * check as it finishes (so a killed prober still leaves the checks it completed), then `done`.
 */
export const readyLineSchema = z.object({
  type: z.literal('ready'),
  ready: z.boolean(),
  elapsedMs: z.number().nonnegative(),
  attempts: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  /** TCP ports something listened on when readiness gave up (empty when ready). */
  listening: z.array(z.number().int()).max(100).default([]),
  /** The port that answered: $PORT, or the one other port the server listens on instead. */
  port: z.number().int().min(1).max(65535).optional(),
  evidence: z.array(evidenceSchema),
});

export const checkLineSchema = z.object({
  type: z.literal('check'),
  id: z.string(),
  status: checkStatusSchema,
  message: z.string().max(4000),
  /** Wall-clock start (epoch ms): lets the harness tell which check a crash interrupted. */
  startedAt: z.number(),
  durationMs: z.number().nonnegative(),
  evidence: z.array(evidenceSchema).max(200),
  evidenceOmitted: z.number().int().nonnegative(),
});

export const loadLineSchema = z.object({
  type: z.literal('load'),
  measurement: loadMeasurementSchema.nullable(),
  /** Why there is no measurement (seeding failed, the generator crashed). */
  problem: z.string().nullable(),
  healthAfter: z.object({ ok: z.boolean(), detail: z.string() }),
  evidence: z.array(evidenceSchema).max(50),
});

/** A hidden suite's raw results; the harness turns them into checks. */
export const suiteLineSchema = z.object({
  type: z.literal('suite'),
  exitCode: z.number().int().nullable(),
  timedOut: z.boolean(),
  /** Could not start the command at all (not found, bad cwd). */
  spawnError: z.string().nullable(),
  /** stdout lines with the time each arrived, on the proxy's clock (TAP is read from here). */
  stdout: z.array(z.object({ atMs: z.number(), text: z.string().max(4000) })).max(20_000),
  stdoutTruncated: z.boolean(),
  stderrTail: z.string().max(8000),
  junit: z.string().max(4 * 1024 * 1024).nullable(),
  exchanges: z.array(z.object({ atMs: z.number(), evidence: evidenceSchema, test: z.string().max(300).optional() })).max(1000),
  exchangesOmitted: z.number().int().nonnegative(),
});
export type SuiteLine = z.infer<typeof suiteLineSchema>;

export const doneLineSchema = z.object({ type: z.literal('done') });

export const proberLineSchema = z.discriminatedUnion('type', [readyLineSchema, checkLineSchema, loadLineSchema, suiteLineSchema, doneLineSchema]);
export type LoadLine = z.infer<typeof loadLineSchema>;
export type ReadyLine = z.infer<typeof readyLineSchema>;
export type CheckLine = z.infer<typeof checkLineSchema>;
export type ProberLine = z.infer<typeof proberLineSchema>;
