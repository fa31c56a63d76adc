import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../../harness/assignment/load-assignment.ts';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scaffoldAssignment } from '../../harness/assignment/scaffold-assignment.ts';
import { validateAssignment } from '../../harness/assignment/validate-assignment.ts';
import { connectRuntime } from '../../sandbox/docker/docker-runtime.ts';
import { rowCount, validateCli } from '../support/validate-cli.ts';

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
