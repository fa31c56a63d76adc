import type { Report } from '../../core/report.ts';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, gradeDirectory, leftovers, phase } from '../support/grade-fixture.ts';


/**
 * The checks that were meant to run: those for other API shapes are skipped as not
 * applicable before anything starts, and the security area is judged from what did run.
 */
const planned = (report: Report) => report.checks.filter((check) => !check.message.startsWith('not applicable:') && check.area !== 'security');

describe('a submission that fails before it can be checked', () => {
  it('never listening: start fails NOT_READY with its output, and stays gradable', async () => {
    const report = await gradeDirectory(path.join(FIXTURES, 'never-listens'), { deadlines: { start: 4 } });
    const start = phase(report, 'start');
    expect(start.status).toBe('failed');
    expect(start.code).toBe('NOT_READY');
    expect(start.blame).toBe('candidate');
    expect(start.message).toMatch(/no HTTP answer to GET \/health on port 3000 within 4 s/);
    expect(start.message).toMatch(/nothing accepts connections on port 3000/);
    expect(start.log).toContain('booting the never-listening server');
    expect(start.log).toContain('still warming up caches');
    expect(phase(report, 'checks').status).toBe('skipped');
    // Never ran, blamed on the server that never answered; never counted as failures.
    expect(planned(report).every((check) => check.status === 'not_run' && check.blame === 'candidate')).toBe(true);
    expect(report.score.points).toBe(0);
    expect(report.gradable).toBe(true);
    expect(await leftovers(report.jobId)).toEqual({ containers: [], volumes: [], networks: [] });
  });

  it('failing npm ci: install fails with npm\'s output and every later phase is skipped', async () => {
    const report = await gradeDirectory(path.join(FIXTURES, 'broken-install'));
    const install = phase(report, 'install');
    expect(install.status).toBe('failed');
    expect(install.code).toBe('INSTALL_FAILED');
    expect(install.message).toMatch(/npm ci .*exited with code [1-9]/);
    expect(install.log).toMatch(/in sync|lock file/i);
    for (const name of ['build', 'start', 'checks'] as const) expect(phase(report, name).status).toBe('skipped');
    expect(planned(report).map((check) => check.status)).toEqual(planned(report).map(() => 'not_run'));
    expect(planned(report)[0]?.message).toContain('install phase failed');
    expect(report.gradable).toBe(true);
    expect(await leftovers(report.jobId)).toEqual({ containers: [], volumes: [], networks: [] });
  });
});
