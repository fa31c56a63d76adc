import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../core/report.ts';
import { CATALOGUE } from '../../graders/catalogue.ts';
import { FIXTURES, gradeDirectory, leftovers, phase, type Overrides } from '../support/grade-fixture.ts';

/**
 * Submissions shaped like real public take-home repositories (test/fixtures/real-repos/, each
 * with a README saying which shape it stands for and what the harness must do with it),
 * graded through the real pipeline with a few checks each and no load probe.
 */
const REPOS = path.join(FIXTURES, 'real-repos');
const HEALTH = ['startup.health-ok'];
const HEALTH_AND_WALK = ['startup.health-ok', 'pagination.full-walk'];

/** Grades a fixture, then asserts what holds for every one of them: no harness error, nothing left behind. */
async function grade(name: string, overrides: Overrides): Promise<Report> {
  const started = performance.now();
  const report = await gradeDirectory(path.join(REPOS, name), {
    ...overrides,
    deadlines: { start: 20, checks: 90, total: 300, ...overrides.deadlines },
    load: { enabled: false },
  });
  const seconds = (performance.now() - started) / 1000;
  const failed = report.phases.find((p) => p.status === 'failed');
  const checks = report.checks.map((check) => `${check.id}=${check.status}`).join(' ');
  console.log(`real-repos ${name}${overrides.submission ? ` ${JSON.stringify(overrides.submission)}` : ''}: ${failed ? `${failed.name} ${failed.code}` : 'all phases ok'}; ${checks}; ${seconds.toFixed(1)} s`);
  // Soft: the case's own assertions still run and say what else is wrong.
  expect.soft(report.phases.filter((p) => p.code === 'HARNESS_ERROR').map((p) => `${p.name}: ${p.message}`), 'phases with HARNESS_ERROR').toEqual([]);
  expect.soft(await leftovers(report.jobId), 'objects left in the engine').toEqual({ containers: [], volumes: [], networks: [] });
  return report;
}

/** A phase as one line (its log's tail when it failed), so a failed assertion shows why. */
function outcome(report: Report, name: Report['phases'][number]['name']): string {
  const p = phase(report, name);
  const tail = p.status === 'failed' && p.log ? ` | log: …${p.log.slice(-400)}` : '';
  return `${p.status} ${p.code}: ${p.message}${tail}`;
}

/** Asserts a phase's outcome line; a failure prints the whole line, not a truncated one. */
function expectPhase(report: Report, name: Report['phases'][number]['name'], pattern: RegExp): void {
  const line = outcome(report, name);
  expect(line, `${name} phase: ${line}`).toMatch(pattern);
}

function status(report: Report, id: string): string | undefined {
  return report.checks.find((check) => check.id === id)?.status;
}

/** Installed, built, started and checked without a failed phase; each named check passes. */
function expectGradedNormally(report: Report, passing: readonly string[]): void {
  for (const name of ['install', 'build', 'start', 'checks'] as const) {
    expectPhase(report, name, /^ok OK: /);
  }
  expect(report.gradable).toBe(true);
  for (const id of passing) expect(status(report, id), id).toBe('pass');
  expect(report.environment.toolchain?.id).toBe('node');
}

// This machine's npm registry mirror serves packages without signatures, which corepack
// checks when it fetches pnpm or Yarn; the grader forwards this setting to installs.
process.env.COREPACK_INTEGRITY_KEYS ??= '0';

describe('submissions shaped like real public repositories', () => {
  it('nest-style build at start: `npm start` compiles src/ into dist/ in a writable app folder, then graded normally', async () => {
    const report = await grade('nest-style-build-at-start', { checks: HEALTH_AND_WALK });
    expectGradedNormally(report, HEALTH_AND_WALK);
    expect(report.environment.start?.command).toMatch(/\bstart\b/);
    expect(phase(report, 'start').log).toMatch(/compiled 2 files from src\/ into dist\//);
  });

  it('JSON file store: ./data/items.json is created and rewritten on every write; creates, deletes and walks pass', async () => {
    const checks = ['pagination.full-walk', 'pagination.writes-during-walk'];
    const report = await grade('json-file-store', { checks });
    expectGradedNormally(report, checks);
  });

  it('no start script, server.js at the root: started by convention (`node server.js`), and the report says so', async () => {
    const report = await grade('no-start-script-server-js', { checks: HEALTH });
    expectGradedNormally(report, HEALTH);
    expect(report.environment.start).toEqual({ command: 'node server.js', from: expect.stringMatching(/convention/) });
  });

  it('only a `dev` script: NO_START_COMMAND naming it and suggesting --start; with --start it reaches the checks', async () => {
    const refused = await grade('no-start-command', { checks: HEALTH });
    const start = phase(refused, 'start');
    expectPhase(refused, 'start', /^failed NO_START_COMMAND: /);
    expect(start.message).toMatch(/\bdev\b/);
    expect(start.message).toMatch(/--start/);
    expect(refused.gradable).toBe(true);
    expect(phase(refused, 'checks').status).toBe('skipped');

    const given = await grade('no-start-command', { checks: HEALTH, submission: { start: 'node src/main.mjs' } });
    expectGradedNormally(given, HEALTH);
    expect(given.environment.start).toEqual({ command: 'node src/main.mjs', from: expect.stringMatching(/grader/) });
  });

  it('Procfile, no start script: started from `web: node app/index.js`', async () => {
    const report = await grade('procfile', { checks: HEALTH });
    expectGradedNormally(report, HEALTH);
    expect(report.environment.start).toEqual({ command: 'node app/index.js', from: expect.stringMatching(/Procfile/) });
  });

  it('pnpm with a pnpm-lock.yaml: installed with `pnpm install --frozen-lockfile`, graded normally', async () => {
    const report = await grade('pnpm', { checks: HEALTH });
    expect(phase(report, 'install').message).toMatch(/pnpm install --frozen-lockfile/);
    expectGradedNormally(report, HEALTH);
    expect(report.environment.start?.command).toMatch(/\bstart\b/);
  });

  it('Yarn 4 with a yarn.lock and nodeLinker: node-modules: installed with `yarn install --immutable`, graded normally', async () => {
    const report = await grade('yarn-berry', { checks: HEALTH });
    expect(phase(report, 'install').message).toMatch(/yarn install --immutable/);
    expectGradedNormally(report, HEALTH);
    expect(report.environment.start?.command).toMatch(/\bstart\b/);
  });

  it('app in server/: graded with dir "server", README signals from the whole repo; without it, a clear install failure', async () => {
    const report = await grade('subfolder', { checks: HEALTH, submission: { dir: 'server' } });
    expectGradedNormally(report, HEALTH);
    expect(report.repo?.readme.present).toBe(true);
    expect(report.repo?.readme.hasTradeoffs).toBe(true);

    const atRoot = await grade('subfolder', { checks: HEALTH });
    const install = phase(atRoot, 'install');
    expectPhase(atRoot, 'install', /^failed /);
    expect(install.code).not.toBe('HARNESS_ERROR');
    expect(install.message).toMatch(/no toolchain/i);
    expect(install.message).toMatch(/root/);
  });

  it('a limiter that counts /health too: boundary passes (only the check\'s own requests count), health-exempt fails', async () => {
    const report = await grade('limiter-counts-health', { checks: ['rate_limit.boundary', 'rate_limit.health-exempt'] });
    expectPhase(report, 'start', /^ok OK: /);
    expectPhase(report, 'checks', /^ok OK: /);
    expect(report.gradable).toBe(true);
    expect(report.environment.toolchain?.id).toBe('node');
    expect(status(report, 'rate_limit.boundary')).toBe('pass');
    const exempt = report.checks.find((check) => check.id === 'rate_limit.health-exempt');
    expect(exempt?.status).toBe('fail');
    expect(exempt?.message).toMatch(/\/health.*429/);
  });

  it('404 on /health: start ok (any HTTP answer means ready), startup.health-ok fails, the rest still run', async () => {
    const report = await grade('no-health-endpoint', { checks: HEALTH_AND_WALK });
    expectPhase(report, 'start', /^ok OK: /);
    expectPhase(report, 'checks', /^ok OK: /);
    expect(report.gradable).toBe(true);
    expect(report.environment.toolchain?.id).toBe('node');
    expect(status(report, 'startup.health-ok')).toBe('fail');
    expect(status(report, 'pagination.full-walk')).toBe('pass');
  });

  it('hard-coded port 8080: start ok, a startup check about the port fails naming 8080, the rest graded on 8080', async () => {
    // Every startup check (whatever the port check is called), and one check that needs the API.
    const startupChecks = CATALOGUE.filter((check) => check.area === 'startup').map((check) => check.id);
    const report = await grade('hard-coded-port', { checks: [...startupChecks, 'pagination.full-walk'] });
    expectPhase(report, 'start', /^ok OK: /);
    expectPhase(report, 'checks', /^ok OK: /);
    expect(report.gradable).toBe(true);
    expect(report.environment.toolchain?.id).toBe('node');
    const portCheck = report.checks.find((check) => check.area === 'startup' && /port/i.test(`${check.id} ${check.title}`));
    expect(portCheck, 'a startup check about the port').toBeDefined();
    expect(portCheck?.status).toBe('fail');
    expect(JSON.stringify([portCheck?.message, portCheck?.evidence])).toContain('8080');
    expect(status(report, 'pagination.full-walk')).toBe('pass');
    expect(report.environment).toMatchObject({ port: { expected: 3000, actual: 8080 } });
  });

  it('exits 1 during readiness: CRASHED with the exit code and its output, the same code on 5 gradings in a row', { timeout: 200_000 }, async () => {
    const seen = [];
    for (let i = 0; i < 5; i += 1) {
      const report = await grade('exits-during-readiness', { checks: HEALTH, deadlines: { start: 5, total: 60 } });
      const start = phase(report, 'start');
      seen.push({
        status: start.status,
        code: start.code,
        namesExitCode: /code 1\b/.test(start.message) || start.message,
        keptOutput: (start.log ?? '').includes('items-api: connecting to postgres://localhost:5432/items'),
        blame: start.blame,
        gradable: report.gradable,
      });
    }
    const expected = { status: 'failed', code: 'CRASHED', namesExitCode: true, keptOutput: true, blame: 'candidate', gradable: true };
    expect(seen).toEqual([expected, expected, expected, expected, expected]);
  });

  it('exits 0 without listening: start fails EXITED (a script, not a crash), blamed on the candidate', async () => {
    const report = await grade('exits-zero', { checks: HEALTH, deadlines: { start: 10 } });
    const start = phase(report, 'start');
    expectPhase(report, 'start', /^failed EXITED: /);
    expect(start.blame).toBe('candidate');
    expect(report.gradable).toBe(true);
    expect(start.log).toContain('items-api: routes ready');
  });
});
