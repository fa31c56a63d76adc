import { execa } from 'execa';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../../harness/assignment/load-assignment.ts';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scaffoldAssignment } from '../../harness/assignment/scaffold-assignment.ts';
import { validateAssignment } from '../../harness/assignment/validate-assignment.ts';
import { connectRuntime } from '../../sandbox/docker/docker-runtime.ts';
import { PACKAGE_ROOT } from '../../harness/paths.ts';
import { GRADER_BIN } from '../support/run-cli.ts';

/** `grader assignment validate` as a user runs it; CI's log carries the matrix it prints. */
async function validateCli(assignment: string, settings: string[], extra: string[] = []): Promise<{ exitCode: number | undefined; stdout: string }> {
  const result = await execa('node', [GRADER_BIN, 'assignment', 'validate', assignment, '--concurrency', '3', ...settings.flatMap((setting) => ['--set', setting]), ...extra], {
    reject: false,
    cwd: PACKAGE_ROOT,
    timeout: 1_700_000,
    env: { GRADER_LOG_LEVEL: 'error' },
  });
  console.log(`$ grader assignment validate ${assignment}\n${result.stdout}\n${result.stderr.split('\n').filter((line) => !line.startsWith('{')).join('\n')}`);
  return { exitCode: result.exitCode, stdout: result.stdout };
}

const rowCount = (stdout: string, kind: string) => stdout.split('\n').filter((line) => line.startsWith(`${kind} `)).length;

describe('the discrimination matrices (real Docker, through the CLI)', () => {
  it('rate-limited-items: reference passes every must-check; each mutant fails exactly what it names; each variant passes', async () => {
    // Short load runs at 10 connections keep CI's budget and leave the frameworks room on a
    // busy 2-core runner; the slow mutant (25 ms of blocking per request) is still far past
    // the 100 ms SLO, since 10 queued requests take 250 ms.
    const { exitCode, stdout } = await validateCli('assignments/rate-limited-items', ['load.durationS=3', 'load.runs=1', 'load.warmupS=1', 'load.seedCount=300', 'load.connections=10']);
    expect(stdout).toMatch(/proof holds: \d+ subjects/);
    expect(rowCount(stdout, 'mutant')).toBeGreaterThanOrEqual(14);
    expect(rowCount(stdout, 'variant')).toBeGreaterThanOrEqual(5);
    expect(exitCode).toBe(0);
  }, 1_800_000);

  it('orders-service-repair: the reference passes, the starter shows its three flaws, each mutant fails what it names', async () => {
    const { exitCode, stdout } = await validateCli('assignments/orders-service-repair', ['load.durationS=3', 'load.runs=1']);
    expect(stdout).toMatch(/proof holds: \d+ subjects/);
    expect(rowCount(stdout, 'starter')).toBe(1);
    expect(rowCount(stdout, 'mutant')).toBeGreaterThanOrEqual(5);
    expect(stdout).toMatch(/resources\.peak-memory/);
    expect(stdout).toMatch(/orders\.idempotency\./);
    expect(exitCode).toBe(0);
  }, 1_200_000);

  it.each(['offset-skip-array', 'page-total-results', 'link-header-seeded'])('examples/%s: the reference passes its declared style, each mutant fails what it names', async (example) => {
    const { exitCode, stdout } = await validateCli(`assignments/examples/${example}`, []);
    expect(stdout).toMatch(/proof holds: \d+ subjects/);
    expect(rowCount(stdout, 'mutant')).toBeGreaterThanOrEqual(4);
    expect(exitCode).toBe(0);
  }, 900_000);

  it('a manifest that does not match its reference fails validate with a line naming the field and what came back', async () => {
    const { exitCode, stdout } = await validateCli('assignments/rate-limited-items', ['pagination.itemsField=results', 'load.enabled=false', 'checks=[pagination.full-walk]'], ['--only', 'reference']);
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(/pagination\.full-walk: expected pass, got fail \(page 1: no "results" array \(pagination\.itemsField\); the body is an object with keys data, next_cursor\)/);
    const budget = await validateCli('assignments/rate-limited-items', ['rateLimit.fixed={max: 3, windowMs: 60000}', 'load.enabled=false', 'checks=[rate_limit.boundary]'], ['--only', 'reference']);
    expect(budget.exitCode).toBe(1);
    expect(budget.stdout).toMatch(/rate_limit\.boundary: expected pass, got fail \(request 4 answered HTTP 200; budget is 3 per 60000 ms/);
  }, 900_000);

  it('a scaffolded assignment validates as it is', async () => {
    const dir = await scaffoldAssignment('scaffold-check', await mkdtemp(path.join(tmpdir(), 'tg-scaffold-')));
    const assignment = await loadAssignment(dir);
    expect(assignment.manifest.id).toBe('scaffold-check');
    const rows = await validateAssignment(assignment, { runtime: connectRuntime(), logger: pino({ level: 'silent' }) }, {
      manifestPatch: { load: { durationS: 2, runs: 1, warmupS: 0, seedCount: 100, connections: 10 } },
    });
    expect(rows.map((row) => [row.subject.kind, row.problems])).toEqual([['reference', []]]);
  }, 600_000);
});
