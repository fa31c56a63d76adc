import { z } from 'zod';

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name');
const urlPath = z.string().regex(/^\/[^\s]*$/, 'expected a path starting with "/"');
const seconds = (dflt: number) => z.number().positive().max(3600).default(dflt);

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
  runtime: z
    .object({
      image: z.string().min(1).default('node:20-bookworm-slim'),
      port: z.number().int().min(1).max(65535).default(3000),
      healthPath: urlPath.default('/health'),
      /** Pinned so frameworks that change behaviour on NODE_ENV behave the same every run. */
      env: z.record(envName, z.string()).default({ NODE_ENV: 'production' }),
    })
    .prefault({}),
  limits: z
    .object({
      memoryMb: z.number().int().min(64).max(16384).default(512),
      cpus: z.number().positive().max(64).default(1),
      pids: z.number().int().min(16).max(32768).default(256),
      tmpfsMb: z.number().int().min(1).max(4096).default(64),
      buildMemoryMb: z.number().int().min(128).max(16384).default(2048),
      /** RAM-backed workspace: the most the install and build may write. */
      workspaceMb: z.number().int().min(16).max(16384).default(1024),
    })
    .prefault({}),
  deadlines: z
    .object({
      fetch: seconds(120),
      install: seconds(300),
      build: seconds(180),
      start: seconds(30),
      /** The candidate's own `npm test`, run in the sandbox without network. */
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
        .object({ max: z.number().int().min(1).max(1000).default(5), windowMs: z.number().int().min(500).default(3000) })
        .prefault({}),
      /** A budget no check or load probe can spend: 1e9 per minute (a 30 s probe at 30k req/s uses 1e6). */
      relaxed: z
        .object({ max: z.number().int().min(1).max(2 ** 31 - 1).default(1_000_000_000), windowMs: z.number().int().min(1).default(60_000) })
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
      style: z.enum(['cursor']).default('cursor'),
      limitParam: z.string().default('limit'),
      cursorParam: z.string().default('cursor'),
      dataField: z.string().default('data'),
      /** Where the next pointer lives: a body field, or an RFC 8288 `Link: <…>; rel="next"`. */
      nextFrom: z.enum(['body', 'link-header']).default('body'),
      nextField: z.string().default('next_cursor'),
      pageSize: z.number().int().min(1).default(10),
      seedCount: z.number().int().min(1).max(5000).default(53),
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
      validationStatuses: z.array(z.number().int().min(400).max(499)).default([400, 422]),
      maxBodyBytes: z.number().int().positive().default(1024 * 1024),
      /** Accepted answers for a POST whose Content-Type is not JSON. */
      unsupportedMediaStatuses: z.array(z.number().int().min(400).max(499)).default([415, 400]),
      /** A field the create body requires, its name used in "names the problem". */
      requiredFields: z.array(z.string()).default(['name', 'price_cents']),
      stringField: z.string().default('name'),
      stringMaxLength: z.number().int().positive().default(200),
      integerField: z.string().default('price_cents'),
    })
    .prefault({}),
  load: z
    .object({
      enabled: z.boolean().default(true),
      path: z.string().regex(/^\//).default('/items?limit=20'),
      connections: z.number().int().min(1).max(1000).default(50),
      durationS: z.number().positive().max(600).default(10),
      warmupS: z.number().min(0).max(60).default(2),
      runs: z.number().int().min(1).max(20).default(3),
      seedCount: z.number().int().min(0).max(100_000).default(1000),
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
  /** Built-in check ids to run; empty means all that apply. */
  checks: z.array(z.string()).default([]),
});

export type Manifest = z.infer<typeof manifestSchema>;
