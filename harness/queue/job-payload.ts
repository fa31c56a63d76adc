import { z } from 'zod';
import { phaseNameSchema } from '../../core/phases.ts';
import { reportSchema } from '../../core/report.ts';
import { submissionOverridesSchema } from '../plan/submission-overrides.ts';

/**
 * What a queued grading carries. Read back from Redis through this schema by the worker,
 * `queue status` and `queue results`: another version of the harness, or a hand-edited
 * key, is refused with a reason rather than graded half-understood.
 */
export const jobPayloadSchema = z.strictObject({
  key: z.string().regex(/^g-[0-9a-f]{32}$/),
  candidate: z.string().min(1),
  /** As given: a worker clones from it (URL credentials included, so Redis must be private). */
  source: z.string().min(1),
  ref: z.string().nullable(),
  deadline: z.string().nullable(),
  commit: z.string().min(1),
  overrides: submissionOverridesSchema,
  /** spec is what a worker loads: a built-in id, or a manifest path every worker can read. */
  assignment: z.strictObject({ spec: z.string().min(1), id: z.string().min(1), version: z.string().min(1) }),
  /** Engines on which this job met a harness error: a retry goes elsewhere when it can. */
  failedOn: z.array(z.string()).default([]),
  enqueuedAt: z.number().int(),
});
export type JobPayload = z.infer<typeof jobPayloadSchema>;

/** Where a running job is: written by its worker as each phase starts. */
export const jobProgressSchema = z.strictObject({
  engine: z.string(),
  worker: z.string(),
  phase: z.union([phaseNameSchema, z.literal('waiting-for-engine')]),
  phaseAt: z.number().int(),
  pickedAt: z.number().int(),
});
export type JobProgress = z.infer<typeof jobProgressSchema>;

/** A finished job's stored result: the report itself, and where and when it was made. */
export const jobResultSchema = z.strictObject({
  report: reportSchema,
  engine: z.string(),
  worker: z.string(),
  pickedAt: z.number().int(),
  finishedAt: z.number().int(),
  /** Gradings this job took (a killed worker's or a failed engine's count too). */
  attempt: z.number().int().min(1),
});
export type JobResult = z.infer<typeof jobResultSchema>;
