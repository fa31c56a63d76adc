import { z } from 'zod';
import { areaSchema } from './areas.ts';
import { loadMeasurementSchema } from './load.ts';
import { securitySchema } from './security.ts';
import { blameSchema, phaseCodeSchema, phaseNameSchema, phaseStatusSchema } from './phases.ts';
import { checkStatusSchema, tierSchema } from './statuses.ts';

/**
 * The report model. `report.json` is the source of truth; every other format is rendered
 * from a value that parsed against this schema. Field names are read by other tools
 * (batch summaries, the GitHub Action), so renaming one is a schema-version bump.
 */
export const REPORT_SCHEMA_VERSION = 1;

export { AREAS, areaSchema, type Area } from './areas.ts';
export { CHECK_STATUSES, checkStatusSchema, TIERS, tierSchema, type CheckStatus, type Tier } from './statuses.ts';
export { PHASES, phaseCodeSchema, phaseNameSchema, phaseStatusSchema, type PhaseCode, type PhaseName } from './phases.ts';

const headersSchema = z.record(z.string(), z.string());

export const evidenceRequestSchema = z.object({
  method: z.string(),
  path: z.string(),
  headers: headersSchema.optional(),
  body: z.string().optional(),
  /** The client's source address, when the check spoke as a distinct client IP. */
  from: z.string().optional(),
});

export const evidenceResponseSchema = z.object({
  status: z.number().int(),
  headers: headersSchema,
  body: z.string(),
  /** Bytes the server sent, which may exceed what `body` keeps. */
  bodyBytes: z.number().int().nonnegative(),
  bodyTruncated: z.boolean(),
});

export const evidenceSchema = z.object({
  request: evidenceRequestSchema.optional(),
  response: evidenceResponseSchema.optional(),
  /** Transport failure instead of a response: timeout, reset, refused, oversize. */
  error: z.string().optional(),
  durationMs: z.number().nonnegative().optional(),
  note: z.string().optional(),
});
export type Evidence = z.infer<typeof evidenceSchema>;

export const checkResultSchema = z.object({
  id: z.string(),
  area: areaSchema,
  tier: tierSchema,
  title: z.string(),
  status: checkStatusSchema,
  points: z.number().nonnegative(),
  maxPoints: z.number().nonnegative(),
  message: z.string(),
  /** Where the expectation comes from (RFC section, the assignment's contract). */
  standard: z.string(),
  /** The answers this check accepts, stated so a reviewer can judge the judge. */
  accepted: z.string(),
  durationMs: z.number().nonnegative(),
  /** When the check began (epoch ms), for the timeline; absent for checks that never ran. */
  startedAt: z.number().optional(),
  /** The server instance it ran against, as in `resources`. */
  instance: z.string().optional(),
  evidence: z.array(evidenceSchema),
  /** Evidence entries left out to keep the report readable. */
  evidenceOmitted: z.number().int().nonnegative().default(0),
  /** Measured verdicts close to their threshold, which another run might turn. */
  borderline: z.boolean().optional(),
  /** For not_run and error: whose fault it is that there is no verdict. */
  blame: blameSchema.optional(),
  /**
   * False for a check that does not fit the API the assignment declares (decided before
   * anything ran): out of the maximum. Every applicable check counts in the maximum, so the
   * maximum is the assignment's, the same for every submission and every run.
   */
  applies: z.boolean().default(true),
});
export type CheckResult = z.infer<typeof checkResultSchema>;

export const phaseSchema = z.object({
  name: phaseNameSchema,
  status: phaseStatusSchema,
  code: phaseCodeSchema,
  /** Who is at fault when the phase failed: the submission, or the harness/engine. */
  blame: blameSchema.optional(),
  durationMs: z.number().nonnegative(),
  message: z.string(),
  /** Head and tail of the phase's output, control characters stripped. */
  log: z.string().optional(),
  /** Conditions worth knowing that did not decide the outcome, e.g. OUTPUT_TRUNCATED. */
  flags: z.array(z.enum(['OUTPUT_TRUNCATED', 'WORKSPACE_FULL'])).default([]),
});
export type Phase = z.infer<typeof phaseSchema>;

export const repoSignalsSchema = z.object({
  tests: z.object({
    status: z.enum(['passed', 'failed', 'none', 'timeout', 'not-run']),
    passed: z.number().int().nullable(),
    failed: z.number().int().nullable(),
    runner: z.string().nullable(),
    detail: z.string(),
  }),
  readme: z.object({ present: z.boolean(), words: z.number().int(), hasSetup: z.boolean(), hasTradeoffs: z.boolean() }),
  files: z.object({ lockfile: z.boolean(), typescript: z.boolean(), linter: z.boolean(), dockerfile: z.boolean() }),
  commits: z.object({
    count: z.number().int(),
    firstAt: z.string().nullable(),
    lastAt: z.string().nullable(),
    spanHours: z.number().nullable(),
    estimatedHours: z.number().nullable(),
    afterDeadline: z.number().int(),
    timeline: z.enum(['ok', 'single-commit', 'none']),
    note: z.string(),
  }),
});
export type RepoSignals = z.infer<typeof repoSignalsSchema>;

export const rubricSuggestionSchema = z.object({
  criterion: z.string(),
  title: z.string(),
  automated: z.boolean(),
  suggested: z.enum(['exceeds', 'meets', 'below']).nullable(),
  reasons: z.array(z.string()),
  /** Check ids whose evidence supports the suggestion. */
  evidenceRefs: z.array(z.string()),
  reviewerLooksAt: z.array(z.string()),
});

export const interviewPromptSchema = z.object({
  prompt: z.string(),
  /** The check id or signal the question comes from. */
  source: z.string(),
  kind: z.enum(['gap', 'depth']),
});

export const reportSchema = z.object({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  jobId: z.string(),
  gradable: z.boolean(),
  startedAt: z.iso.datetime(),
  finishedAt: z.iso.datetime(),
  durationMs: z.number().nonnegative(),
  assignment: z.object({ id: z.string(), version: z.string(), title: z.string() }),
  submission: z.object({
    name: z.string(),
    source: z.string(),
    kind: z.enum(['directory', 'git-repo', 'git-url']),
    ref: z.string().nullable(),
    commit: z.string().nullable(),
    fetchedAt: z.iso.datetime(),
    /** Paths left out of the copy into the sandbox (links, special files, .git). */
    dropped: z.array(z.string()),
  }),
  environment: z.object({
    harnessVersion: z.string(),
    nodeVersion: z.string(),
    engineVersion: z.string().nullable(),
    image: z.object({ name: z.string(), id: z.string().nullable(), substituteFor: z.string().nullable() }),
    limits: z.object({ memoryMb: z.number(), cpus: z.number(), pids: z.number() }),
    candidateEnv: z.record(z.string(), z.record(z.string(), z.string())),
    /** The toolchain that installed, built and ran the submission, and why it was chosen. */
    toolchain: z.object({ id: z.string(), title: z.string(), because: z.string() }).nullable().default(null),
    /** The command that started the server, and where it came from (the grader, a convention). */
    start: z.object({ command: z.string(), from: z.string() }).nullable().default(null),
    /** $PORT and the port the server answered on; they differ when it ignores $PORT (the rest was graded where it listens). */
    port: z.object({ expected: z.number().int(), actual: z.number().int() }).nullable().default(null),
  }),
  phases: z.array(phaseSchema),
  /** The load probe's figures, and the same probe's figures for the reference. */
  load: z
    .object({
      measurement: loadMeasurementSchema,
      baseline: z
        .object({
          rps: z.number(),
          p95: z.number(),
          source: z.string(),
          /** The yardstick's web framework family ("node/express"), and whether it is the submission's. */
          family: z.string().nullable().default(null),
          comparable: z.boolean().default(true),
        })
        .nullable(),
      ratios: z.object({ rps: z.number(), p95: z.number() }).nullable(),
      /** The p95 the assignment allows (load.p95SloMs), drawn beside the runs. */
      sloP95Ms: z.number().nullable().default(null),
      cpusets: z.object({ candidate: z.string().nullable(), prober: z.string().nullable() }),
      /** Set when the calibration moved beyond its bound on every attempt: the figures are from a busy machine. */
      busyMachine: z.string().nullable().default(null),
    })
    .nullable()
    .default(null),
  /** Peak memory of each server instance the grading started, from the engine's stats. */
  resources: z
    .array(
      z.object({
        /** e.g. "relaxed instance", "relaxed instance for orders.cache-churn", "load instance". */
        instance: z.string(),
        checks: z.array(z.string()),
        peakMemoryMb: z.number().nonnegative().nullable(),
        samples: z.number().int().nonnegative(),
        /** When the instance was launched and when it was stopped (epoch ms): the timeline's lanes. */
        launchedAt: z.number().optional(),
        stoppedAt: z.number().optional(),
      }),
    )
    .default([]),
  checks: z.array(checkResultSchema),
  /** What the sandbox saw the submission do (denied egress, limits hit, install scripts), and what it watched. */
  security: securitySchema.default({ findings: [], watched: [] }),
  repo: repoSignalsSchema.nullable().default(null),
  rubric: z.array(rubricSuggestionSchema).default([]),
  prompts: z.array(interviewPromptSchema).default([]),
  score: z.object({ points: z.number().nonnegative(), max: z.number().nonnegative() }),
});
export type Report = z.infer<typeof reportSchema>;
