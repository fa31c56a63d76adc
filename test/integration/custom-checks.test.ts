import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../../harness/assignment/load-assignment.ts';
import { gradeSubmission } from '../../harness/pipeline.ts';
import { PACKAGE_ROOT } from '../../harness/paths.ts';
import { connectRuntime } from '../../sandbox/docker/docker-runtime.ts';
import { REFERENCE, leftovers } from '../support/grade-fixture.ts';

const CUSTOM = path.join(PACKAGE_ROOT, 'test/fixtures/assignments/custom-check');

describe('an assignment\'s own checks (checks/*.ts), run in the prober', () => {
  it('grades the reference with the custom check beside the built-in ones, with evidence', async () => {
    const assignment = await loadAssignment(CUSTOM);
    const report = await gradeSubmission({ source: REFERENCE, ref: null, assignment }, { runtime: connectRuntime(), logger: pino({ level: 'silent' }) });
    const custom = report.checks.find((check) => check.id === 'custom.location-header');
    expect(custom).toMatchObject({ status: 'pass', tier: 'signal', maxPoints: 2 });
    expect(custom?.evidence.map((entry) => entry.request?.method)).toEqual(['POST', 'GET']);
    // The port check is judged whenever the server starts, whatever the manifest selects.
    expect(report.checks.map((check) => check.id)).toEqual(['startup.listens-on-port', 'startup.health-ok', 'custom.location-header']);
    expect(await leftovers(report.jobId)).toEqual({ containers: [], volumes: [], networks: [] });
  });

  it('a custom check that shadows a built-in id is refused with a one-line error', async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'tg-custom-')), 'bad');
    await cp(CUSTOM, dir, { recursive: true });
    await writeFile(
      path.join(dir, 'checks', 'shadow.ts'),
      "export const shadow = { id: 'rate_limit.boundary', area: 'rate_limit', tier: 'must', title: 't', points: 1, standard: 's', accepted: 'a', instance: 'relaxed', run: async () => ({ status: 'pass', message: '' }) };\n",
    );
    const assignment = await loadAssignment(dir);
    await expect(gradeSubmission({ source: REFERENCE, ref: null, assignment }, { runtime: connectRuntime(), logger: pino({ level: 'silent' }) })).rejects.toThrow(/id "rate_limit.boundary" is already taken/);
  });
});
