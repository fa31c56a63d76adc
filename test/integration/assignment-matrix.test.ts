import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../../harness/assignment/load-assignment.ts';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { scaffoldAssignment } from '../../harness/assignment/scaffold-assignment.ts';
import { renderMatrix, validateAssignment } from '../../harness/assignment/validate-assignment.ts';
import { connectEngine } from '../../sandbox/engine.ts';

describe('rate-limited-items: the discrimination matrix (real Docker)', () => {
  it('reference passes every must-check; each mutant fails exactly what it names; each variant passes', async () => {
    const assignment = await loadAssignment();
    // Short load runs at 10 connections keep CI's budget and leave the frameworks room on a
    // busy 2-core runner; the slow mutant (25 ms of blocking per request) is still far past
    // the 100 ms SLO, since 10 queued requests take 250 ms.
    const manifestPatch = { load: { durationS: 3, runs: 1, warmupS: 1, seedCount: 300, connections: 10 } };
    const rows = await validateAssignment(assignment, { docker: connectEngine(), logger: pino({ level: 'silent' }) }, { concurrency: 3, manifestPatch });
    // The matrix is the proof; print it so CI's log carries it.
    console.log(renderMatrix(rows));
    expect(rows.filter((row) => row.subject.kind === 'mutant').length).toBeGreaterThanOrEqual(14);
    expect(rows.filter((row) => row.subject.kind === 'variant').length).toBeGreaterThanOrEqual(5);
    expect(rows.flatMap((row) => row.problems.map((problem) => `${row.subject.id}: ${problem}`))).toEqual([]);
  }, 1_200_000);

  it('a scaffolded assignment validates as it is', async () => {
    const dir = await scaffoldAssignment('scaffold-check', await mkdtemp(path.join(tmpdir(), 'tg-scaffold-')));
    const assignment = await loadAssignment(dir);
    expect(assignment.manifest.id).toBe('scaffold-check');
    const rows = await validateAssignment(assignment, { docker: connectEngine(), logger: pino({ level: 'silent' }) }, {
      manifestPatch: { load: { durationS: 2, runs: 1, warmupS: 0, seedCount: 100, connections: 10 } },
    });
    expect(rows.map((row) => [row.subject.kind, row.problems])).toEqual([['reference', []]]);
  }, 600_000);
});
