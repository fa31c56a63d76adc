import { z } from 'zod';
import { areaSchema } from './areas.ts';
import { instanceProfileSchema } from './profiles.ts';
import { tierSchema } from './statuses.ts';

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name');
const urlPath = z.string().regex(/^\/[^\s]*$/, 'expected a path starting with "/"');
/** One message for every way an integer setting can be wrong: `expected integer 1..65535`. */
const intRange = (min: number, max: number) => {
  const error = `expected integer ${min}..${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
const seconds = (dflt: number) => z.number().positive().max(3600).default(dflt);
const checkId = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'expected a check id: lower-case letters, digits, _ . -');
/** A folder inside the assignment: no absolute paths, no climbing out. */
const innerPath = z.string().min(1).refine((value) => !value.startsWith('/') && !value.split(/[\\/]/).includes('..'), 'expected a path inside the assignment folder');

/**
 * A hidden test suite in any runner: its folder is copied into the prober (never into the
 * candidate's container), the command runs there with BASE_URL set, and each test it
 * reports (TAP on stdout, or a JUnit XML file) becomes a check `<id>.<test name>`.
 */
const suiteSchema = z
  .object({
    id: checkId,
    title: z.string().min(1),
    dir: innerPath.default('suite'),
    /** Run from the suite's folder, e.g. [node, --test, --test-reporter=tap, orders.test.mjs]. */
    command: z.array(z.string().min(1)).min(1),
    /**
     * What the command needs beside the prober's node: `python` runs it in a prober image
     * with python3 and pytest (e.g. [python3, -m, pytest, -q, --junitxml=report.xml]), so
     * a suite need not be written in the candidate's language or JavaScript.
     */
    runner: z.enum(['node', 'python']).default('node'),
    format: z.enum(['tap', 'junit']).default('tap'),
    /** Where the command writes JUnit XML, relative to its folder (format: junit). */
    junitFile: innerPath.optional(),
    area: areaSchema.default('contract'),
    tier: tierSchema.default('must'),
    pointsPerTest: z.number().nonnegative().default(2),
    standard: z.string().min(1).default("the assignment's contract, as the hidden suite states it"),
    instance: instanceProfileSchema.default('relaxed'),
    timeoutS: z.number().positive().max(900).default(60),
  })
  .refine((suite) => suite.format !== 'junit' || suite.junitFile !== undefined, {
    message: 'format junit needs junitFile: the path the command writes its XML to',
    path: ['junitFile'],
  });
export type SuiteManifest = z.infer<typeof suiteSchema>;

/**
 * `assignment.yaml`. Everything a grader needs to know about one exercise lives here, so
 * authors vary exercises without touching harness code. Defaults fit the built-in contract.
 */
export const manifestSchema = z.object({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected kebab-case'),
  version: z.string().min(1),
  title: z.string().min(1),
  timeBoxHours: z.number().positive().optional(),
  brief: z.string().default('brief.md'),
  reference: z.string().default('reference'),
  /**
   * For repair exercises: the code the candidate starts from. `validate` grades it and
   * proves it fails each check in mustFail (the flaws the brief asks them to fix).
   */
  starter: z
    .object({ dir: innerPath.default('starter'), mustFail: z.array(checkId).min(1) })
    .optional(),
  /**
   * How this exercise's submissions are laid out, when the brief fixes it. The grader's
   * own flags (--dir, --start, --build, --toolchain) win over these; the toolchain's
   * conventions apply when neither says.
   */
  submission: z
    .object({
      /** The app's folder inside the repository, e.g. "server". */
      dir: innerPath.optional(),
      /** A shell command that starts the server (run with sh -c). */
      start: z.string().min(1).optional(),
      /** A shell command that builds it, instead of the toolchain's build step. */
      build: z.string().min(1).optional(),
      /** A toolchain id (node, python, go, java, command) instead of detection. */
      toolchain: z.string().min(1).optional(),
    })
    .strict()
    .prefault({}),
  runtime: z
    .object({
      /** Pins the image to install, build and run in; by default the toolchain's (node:20-bookworm-slim for Node). */
      image: z.string().min(1).optional(),
      port: intRange(1, 65535).default(3000),
      healthPath: urlPath.default('/health'),
      /** Pinned so frameworks that change behaviour on NODE_ENV behave the same every run. */
      env: z.record(envName, z.string()).default({ NODE_ENV: 'production' }),
    })
    .prefault({}),
  limits: z
    .object({
      memoryMb: intRange(64, 16384).default(512),
      cpus: z.number().positive().max(64).default(1),
      pids: intRange(16, 32768).default(256),
      tmpfsMb: intRange(1, 4096).default(64),
      buildMemoryMb: intRange(128, 16384).default(2048),
      /** RAM-backed workspace: the most the install and build may write. */
      workspaceMb: intRange(16, 16384).default(1024),
    })
    .prefault({}),
  deadlines: z
    .object({
      fetch: seconds(120),
      install: seconds(300),
      build: seconds(180),
      start: seconds(30),
      /** The candidate's own tests (the toolchain's test command), run in the sandbox without network. */
      tests: seconds(120),
      checks: seconds(180),
      load: seconds(180),
      total: seconds(900),
    })
    .prefault({}),
  rateLimit: z
    .object({
      maxEnv: envName.default('RATE_LIMIT_MAX'),
      windowEnv: envName.default('RATE_LIMIT_WINDOW_MS'),
      /** Header that names the client; requests without it are limited per client IP. */
      identityHeader: z.string().min(1).default('X-API-Key'),
      /** A small budget for the rate-limit checks, so they finish in seconds. */
      probe: z
        .object({ max: intRange(1, 1000).default(5), windowMs: z.number().int().min(500).default(3000) })
        .prefault({}),
      /** A budget no check or load probe can spend: 1e9 per minute (a 30 s probe at 30k req/s uses 1e6). */
      relaxed: z
        .object({ max: intRange(1, 2 ** 31 - 1).default(1_000_000_000), windowMs: z.number().int().min(1).default(60_000) })
        .prefault({}),
      probePath: urlPath.default('/items'),
    })
    .prefault({}),
  items: z
    .object({
      path: urlPath.default('/items'),
      /** `{n}` in string values is replaced by a sequence number. */
      createBody: z.record(z.string(), z.unknown()).default({ name: 'item {n}', price_cents: 100 }),
      idField: z.string().default('id'),
    })
    .prefault({}),
  pagination: z
    .object({
      limitParam: z.string().default('limit'),
      cursorParam: z.string().default('cursor'),
      dataField: z.string().default('data'),
      /** Where the next pointer lives: a body field, or an RFC 8288 `Link: <…>; rel="next"`. */
      nextFrom: z.enum(['body', 'link-header']).default('body'),
      nextField: z.string().default('next_cursor'),
      pageSize: z.number().int().min(1).default(10),
      seedCount: intRange(1, 5000).default(53),
      defaultLimit: z.number().int().min(1).default(20),
      maxLimit: z.number().int().min(1).default(100),
      /** `reject`: out-of-range limits must be 400; `reject-or-clamp` also accepts clamping. */
      invalidLimit: z.enum(['reject', 'reject-or-clamp']).default('reject'),
      /** Field names for the order check: results sorted by (orderField, idField) ascending. */
      orderField: z.string().default('created_at'),
    })
    .prefault({}),
  errors: z
    .object({
      validationStatuses: z.array(intRange(400, 499)).default([400, 422]),
      maxBodyBytes: z.number().int().positive().default(1024 * 1024),
      /** Accepted answers for a POST whose Content-Type is not JSON. */
      unsupportedMediaStatuses: z.array(intRange(400, 499)).default([415, 400]),
      stringField: z.string().default('name'),
      stringMaxLength: z.number().int().positive().default(200),
      integerField: z.string().default('price_cents'),
    })
    .prefault({}),
  load: z
    .object({
      enabled: z.boolean().default(true),
      path: z.string().regex(/^\//).default('/items?limit=20'),
      connections: intRange(1, 1000).default(50),
      durationS: z.number().positive().max(600).default(10),
      warmupS: z.number().min(0).max(60).default(2),
      runs: intRange(1, 20).default(3),
      seedCount: intRange(0, 100_000).default(1000),
      timeoutS: z.number().positive().max(60).default(10),
      p95SloMs: z.number().positive().default(100),
      /** Signal: candidate req/s at least this fraction of the reference's. */
      minThroughputRatio: z.number().positive().default(0.5),
      /** Signal: p99/p50 at most this… */
      maxTailRatio: z.number().positive().default(10),
      /** …unless p99 is under this floor: at sub-millisecond medians the ratio is scheduler noise. */
      tailFloorMs: z.number().nonnegative().default(25),
    })
    .prefault({}),
  /** Hidden test suites run against a fresh instance each (see suiteSchema). */
  suites: z.array(suiteSchema).default([]),
  /**
   * The server's peak memory, read from the engine's stats for every instance. With a
   * ceiling, the check resources.peak-memory judges the instances that ran the checks in
   * `during` (all check instances when empty).
   */
  memory: z
    .object({
      ceilingMb: intRange(16, 16384).optional(),
      during: z.array(checkId).default([]),
      tier: tierSchema.default('must'),
      points: z.number().nonnegative().default(5),
    })
    .prefault({}),
  /** Built-in check ids to run; empty means all that apply. */
  checks: z.array(z.string()).default([]),
});

export type Manifest = z.infer<typeof manifestSchema>;
