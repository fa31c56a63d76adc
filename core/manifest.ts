import { z } from 'zod';
import { areaSchema } from './areas.ts';
import { fieldPath, paginationSchema } from './pagination-manifest.ts';
import { instanceProfileSchema } from './profiles.ts';
import { tierSchema } from './statuses.ts';
import { strictObject } from './strict-object.ts';

const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name');
const urlPath = z.string().regex(/^\/[^\s]*$/, 'expected a path starting with "/"');
/** One message for every way an integer setting can be wrong: `expected integer 1..65535`. */
const intRange = (min: number, max: number) => {
  const error = `expected integer ${min}..${max}`;
  return z.number({ error }).int({ error }).min(min, { error }).max(max, { error });
};
const doc = <T extends z.ZodType>(schema: T, description: string, example: unknown): T => schema.meta({ description, examples: [example] });
const seconds = (dflt: number, what: string) => doc(z.number().positive().max(3600).default(dflt), `Seconds ${what} may take.`, dflt);
const checkId = z.string().regex(/^[a-z0-9][a-z0-9_.-]*$/, 'expected a check id: lower-case letters, digits, _ . -');
/** A folder inside the assignment: no absolute paths, no climbing out. */
const innerPath = z.string().min(1).refine((value) => !value.startsWith('/') && !value.split(/[\\/]/).includes('..'), 'expected a path inside the assignment folder');

/** What every instance's server gets unless the manifest sets the same variable. */
export const DEFAULT_RUNTIME_ENV: Readonly<Record<string, string>> = { NODE_ENV: 'production' };

/**
 * A hidden test suite in any runner: its folder is copied into the prober (never into the
 * candidate's container), the command runs there with BASE_URL set, and each test it
 * reports (TAP on stdout, or a JUnit XML file) becomes a check `<id>.<test name>`.
 */
const suiteSchema = strictObject({
  id: doc(checkId, 'Prefix of the checks this suite reports: `<id>.<test name>`.', 'orders.idempotency'),
  title: doc(z.string().min(1), 'What the suite tests, as the report shows it.', 'Idempotency-Key on POST /orders'),
  dir: doc(innerPath.default('suite'), 'The suite\'s folder inside the assignment; copied into the prober only.', 'suite'),
  command: doc(z.array(z.string().min(1)).min(1), 'Run from the suite\'s folder with BASE_URL set.', ['node', '--test', '--test-reporter=tap', 'orders.test.mjs']),
  runner: doc(
    z.enum(['node', 'python']).default('node'),
    'What the command needs beside the prober\'s node: `python` runs it in a prober image with python3 and pytest, so a suite need not be written in the candidate\'s language or JavaScript.',
    'python',
  ),
  format: doc(z.enum(['tap', 'junit']).default('tap'), 'How the command reports its tests: TAP on stdout, or a JUnit XML file.', 'junit'),
  junitFile: doc(innerPath.optional(), 'Where the command writes JUnit XML, relative to its folder (format: junit).', 'report.xml'),
  area: doc(areaSchema.default('contract'), 'The report area the suite\'s checks belong to.', 'contract'),
  tier: doc(tierSchema.default('must'), '`must` decides the grade; `signal` informs the reviewer.', 'must'),
  pointsPerTest: doc(z.number().nonnegative().default(2), 'Points each test is worth.', 3),
  standard: doc(z.string().min(1).default("the assignment's contract, as the hidden suite states it"), 'Where the suite\'s expectations come from.', 'draft-ietf-httpapi-idempotency-key-header §2'),
  instance: doc(instanceProfileSchema.default('relaxed'), 'The rate-limit budget of the instance the suite runs against.', 'relaxed'),
  timeoutS: doc(z.number().positive().max(900).default(60), 'Seconds the command may run.', 60),
}).refine((suite) => suite.format !== 'junit' || suite.junitFile !== undefined, {
  message: 'format junit needs junitFile: the path the command writes its XML to',
  path: ['junitFile'],
});
export type SuiteManifest = z.infer<typeof suiteSchema>;

const budget = (max: number, windowMs: number, maxLimit: number, minWindow: number) =>
  strictObject({
    max: doc(intRange(1, maxLimit).default(max), 'Requests allowed per window.', max),
    windowMs: doc(z.number().int().min(minWindow).default(windowMs), 'Window length in milliseconds.', windowMs),
  }).prefault({});

const rateLimitSchema = strictObject({
  identity: doc(
    z.enum(['header', 'ip', 'header-or-ip']).default('header'),
    'Who a budget belongs to: the identity header\'s value, the client IP, or the header when sent and the client IP otherwise. Per-IP checks send from distinct loopback addresses (127.0.x.y) inside the candidate\'s network namespace.',
    'ip',
  ),
  identityHeader: doc(z.string().min(1).default('X-API-Key'), 'Header that names the client (identity header or header-or-ip).', 'X-API-Key'),
  trustProxy: doc(
    z.boolean().default(false),
    'true when the brief says the app sits behind a trusted proxy, so X-Forwarded-For may name the client; otherwise rotating it must not reset a budget.',
    false,
  ),
  fixed: doc(
    strictObject({
      max: doc(intRange(1, 100_000), 'Requests allowed per window, as hard-coded.', 10),
      windowMs: doc(z.number().int().min(100), 'Window length in milliseconds, as hard-coded.', 60_000),
    }).optional(),
    'The budget when it is fixed in code (e.g. 10 per minute). The checks use it instead of setting maxEnv/windowEnv; checks that would wait longer than maxWaitS read the advertised reset instead, and other checks spread their requests over identities so the budget never decides them.',
    { max: 10, windowMs: 60_000 },
  ),
  maxWaitS: doc(
    z.number().positive().max(600).default(15),
    'Longest a check may sit out a window; longer windows get a recovery check that verifies the advertised reset instead of waiting.',
    15,
  ),
  maxEnv: doc(envName.default('RATE_LIMIT_MAX'), 'Variable the server reads its budget from (env-configured budgets).', 'RATE_LIMIT_MAX'),
  windowEnv: doc(envName.default('RATE_LIMIT_WINDOW_MS'), 'Variable the server reads its window (ms) from.', 'RATE_LIMIT_WINDOW_MS'),
  probe: budget(5, 3000, 1000, 500).meta({ description: 'A small budget for the rate-limit checks, so they finish in seconds.' }),
  relaxed: budget(1_000_000_000, 60_000, 2 ** 31 - 1, 1).meta({
    description: 'A budget no check or load probe can spend: 1e9 per minute (a 30 s probe at 30k req/s uses 1e6).',
  }),
  probePath: doc(urlPath.default('/items'), 'A rate-limited path the checks spend budgets on.', '/items'),
})
  .prefault({})
  .meta({ description: 'Who a rate-limit budget belongs to, how big it is, and where it is set.' });

const itemsSchema = strictObject({
  path: doc(urlPath.default('/items'), 'The collection: GET lists it, POST creates in it.', '/products'),
  itemPath: doc(
    z.string().regex(/^\/\S*\{id\}\S*$/, 'expected a path template containing {id}').optional(),
    'One item, with {id} standing for its id; by default `<path>/{id}`.',
    '/products/{id}',
  ),
  createBody: doc(
    z.record(z.string(), z.unknown()).nullable().default({ name: 'item {n}', price_cents: 100 }),
    'A valid POST body; `{n}` in string values becomes a sequence number. null: the API has no create endpoint (checks that need one are skipped as not applicable).',
    { name: 'item {n}', price_cents: 100 },
  ),
  idField: doc(fieldPath.default('id'), 'Field holding an item\'s id in create and list responses.', 'id'),
  idFormat: doc(
    z.enum(['integer', 'uuid', 'string']).default('string'),
    'What an id looks like: checked on create, and used to build a well-formed unknown id and a malformed one for the not-found checks.',
    'uuid',
  ),
  delete: doc(z.boolean().default(true), 'Whether `DELETE <itemPath>` exists.', true),
  seeded: doc(
    z.number().int().min(0).max(100_000).default(0),
    'Items present when the server starts. The walk checks use what is there; checks that need an empty collection are skipped.',
    40,
  ),
})
  .prefault({})
  .meta({ description: 'The collection the pagination and error checks exercise: its paths, ids and operations.' });

const errorsSchema = strictObject({
  validationStatuses: doc(z.array(intRange(400, 499)).default([400, 422]), 'Accepted statuses for an invalid body or parameter.', [400, 422]),
  maxBodyBytes: doc(z.number().int().positive().default(1024 * 1024), 'Largest body the API must accept; beyond it, 413.', 1_048_576),
  unsupportedMediaStatuses: doc(z.array(intRange(400, 499)).default([415, 400]), 'Accepted answers for a POST whose Content-Type is not JSON.', [415, 400]),
  stringField: doc(fieldPath.nullable().default('name'), 'A required string field of the create body; null: none is checked.', 'name'),
  stringMaxLength: doc(z.number().int().positive().default(200), 'Longest value stringField accepts.', 200),
  integerField: doc(fieldPath.nullable().default('price_cents'), 'A required non-negative integer field of the create body; null: none is checked.', 'price_cents'),
})
  .prefault({})
  .meta({ description: 'What the error-handling checks accept and which fields they make invalid.' });

const loadSchema = strictObject({
  enabled: doc(z.boolean().default(true), 'Whether the load probe runs.', true),
  path: doc(z.string().regex(/^\//).default('/items?limit=20'), 'What the load probe requests.', '/items?limit=20'),
  underRateLimit: doc(
    z.boolean().default(true),
    'Whether load.path is rate-limited. With a budget fixed in code (rateLimit.fixed) the load probe runs only on a path that is not.',
    true,
  ),
  connections: doc(intRange(1, 1000).default(50), 'Concurrent connections.', 50),
  durationS: doc(z.number().positive().max(600).default(10), 'Seconds per measured run.', 10),
  warmupS: doc(z.number().min(0).max(60).default(2), 'Unmeasured seconds before the runs.', 2),
  runs: doc(intRange(1, 20).default(3), 'Most measured runs; the median is reported. A third run is taken only when the first two disagree.', 3),
  minRuns: doc(intRange(1, 20).default(2), 'Measured runs always taken (at most `runs`).', 2),
  agreeWithin: doc(z.number().min(1).max(10).default(1.15), 'Runs agree when max/min of their p95 and of their req/s are both within this ratio; then no more are taken.', 1.15),
  seedCount: doc(intRange(0, 100_000).default(1000), 'Items created before the probe.', 1000),
  timeoutS: doc(z.number().positive().max(60).default(10), 'Seconds before one request counts as timed out.', 10),
  p95SloMs: doc(z.number().positive().default(100), 'p95 latency the load.p95-slo check allows.', 100),
  minThroughputRatio: doc(z.number().positive().default(0.5), 'Signal: candidate req/s at least this fraction of the reference\'s.', 0.5),
  maxTailRatio: doc(z.number().positive().default(10), 'Signal: p99/p50 at most this…', 10),
  tailFloorMs: doc(z.number().nonnegative().default(25), '…unless p99 is under this floor: at sub-millisecond medians the ratio is scheduler noise.', 25),
})
  .prefault({})
  .meta({ description: 'The load probe: what it requests, how hard and for how long, and what it judges.' });

/**
 * `assignment.yaml`. Everything a grader needs to know about one exercise lives here, so
 * authors vary exercises without touching harness code. Defaults fit the built-in contract;
 * a key the schema does not know is an error naming the nearest one it does.
 */
export const manifestSchema = strictObject({
  id: doc(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'expected kebab-case'), 'The assignment\'s id (kebab-case).', 'rate-limited-items'),
  version: doc(z.string().min(1), 'Version of the exercise; part of every report.', '1.0.0'),
  title: doc(z.string().min(1), 'The exercise\'s title.', 'Rate-limited items API'),
  timeBoxHours: doc(z.number().positive().optional(), 'Hours the brief gives the candidate.', 4),
  brief: doc(z.string().default('brief.md'), 'The brief the candidate reads, relative to this file.', 'brief.md'),
  reference: doc(z.string().default('reference'), 'Folder of the reference solution `validate` grades.', 'reference'),
  starter: doc(
    strictObject({
      dir: doc(innerPath.default('starter'), 'Folder of the starting code.', 'starter'),
      mustFail: doc(z.array(checkId).min(1), 'Checks the starting code must fail: the flaws the brief asks to fix.', ['load.p95-slo']),
    }).optional(),
    'For repair exercises: the code the candidate starts from. `validate` grades it and proves it fails each check in mustFail.',
    { dir: 'starter', mustFail: ['load.p95-slo'] },
  ),
  submission: strictObject({
    dir: doc(innerPath.optional(), 'The app\'s folder inside the repository.', 'server'),
    start: doc(z.string().min(1).optional(), 'A shell command that starts the server (run with sh -c).', 'node dist/main.js'),
    build: doc(z.string().min(1).optional(), 'A shell command that builds it, instead of the toolchain\'s build step.', 'npm run build'),
    toolchain: doc(z.string().min(1).optional(), 'A toolchain id (node, python, go, java, command) instead of detection.', 'python'),
  })
    .prefault({})
    .meta({ description: 'How submissions are laid out, when the brief fixes it. The grader\'s flags (--dir, --start, --build, --toolchain) win over these; the toolchain\'s conventions apply when neither says.' }),
  runtime: strictObject({
    image: doc(z.string().min(1).optional(), 'Pins the image to install, build and run in; by default the toolchain\'s.', 'node:20-bookworm-slim'),
    port: doc(intRange(1, 65535).default(3000), 'Port the server listens on (also passed as PORT).', 3000),
    healthPath: doc(urlPath.default('/health'), 'Path that answers once the server is ready.', '/health'),
    env: doc(
      z
        .record(envName, z.string())
        .default({})
        .transform((env) => ({ ...DEFAULT_RUNTIME_ENV, ...env })),
      'Variables for the server, merged over the defaults (NODE_ENV=production, pinned so frameworks behave the same every run); the same name overrides a default.',
      { LOG_LEVEL: 'warn' },
    ),
  })
    .prefault({})
    .meta({ description: 'Where and how the server runs: image, port, readiness path, environment.' }),
  limits: strictObject({
    memoryMb: doc(intRange(64, 16384).default(512), 'Memory of the running server.', 512),
    cpus: doc(z.number().positive().max(64).default(1), 'CPUs of the running server.', 1),
    pids: doc(intRange(16, 32768).default(256), 'Processes and threads the server may have.', 256),
    tmpfsMb: doc(intRange(1, 4096).default(64), 'Size of the server\'s writable /tmp.', 64),
    buildMemoryMb: doc(intRange(128, 16384).default(2048), 'Memory of install and build.', 2048),
    workspaceMb: doc(intRange(16, 16384).default(1024), 'RAM-backed workspace: the most the install and build may write.', 1024),
  })
    .prefault({})
    .meta({ description: 'Resources of the sandbox: memory, CPUs, processes, disk.' }),
  egress: strictObject({
    allow: doc(
      z.array(z.string().regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.\-_]+)(:\d{1,5})?$/, 'expected host or host:port')).default([]),
      'Hosts (host:port; a bare host means port 443) install and build may reach through the egress proxy, beside the registries of the supported toolchains and the grader\'s GRADER_EGRESS_ALLOW.',
      ['npm.pkg.github.com:443'],
    ),
  })
    .prefault({})
    .meta({ description: 'What install and build may reach: only the allowlist, through the harness\'s proxy; every other connection or name lookup is refused and reported as a security finding.' }),
  deadlines: strictObject({
    fetch: seconds(120, 'cloning the repository'),
    install: seconds(300, 'installing dependencies'),
    build: seconds(180, 'the build'),
    start: seconds(30, 'the server to answer'),
    tests: seconds(120, "the candidate's own tests (run in the sandbox without network)"),
    checks: seconds(180, 'all checks'),
    load: seconds(180, 'the load probe'),
    total: seconds(900, 'the whole grading'),
  })
    .prefault({})
    .meta({ description: 'Seconds each phase may take; a phase past its deadline is stopped and reported.' }),
  rateLimit: rateLimitSchema,
  items: itemsSchema,
  pagination: paginationSchema,
  errors: errorsSchema,
  load: loadSchema,
  suites: doc(z.array(suiteSchema).default([]), 'Hidden test suites, each run against a fresh instance.', []),
  memory: strictObject({
    ceilingMb: doc(intRange(16, 16384).optional(), 'Peak memory the resources.peak-memory check allows.', 80),
    during: doc(z.array(checkId).default([]), 'Checks whose instances are judged (all check instances when empty).', ['orders.cache-churn']),
    tier: doc(tierSchema.default('must'), '`must` or `signal`.', 'must'),
    points: doc(z.number().nonnegative().default(5), 'Points of the check.', 5),
  })
    .prefault({})
    .meta({ description: 'The server\'s peak memory, read from the engine\'s stats for every instance.' }),
  checks: doc(z.array(z.string()).default([]), 'Built-in check ids to run; empty means all that apply.', ['rate_limit.boundary', 'pagination.full-walk']),
});

export type Manifest = z.infer<typeof manifestSchema>;
export type RateLimitManifest = z.infer<typeof rateLimitSchema>;
export type ItemsManifest = z.infer<typeof itemsSchema>;
export { rateLimitSchema, itemsSchema, errorsSchema };
