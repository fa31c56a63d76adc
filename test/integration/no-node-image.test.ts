import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { connectRuntime } from '../../sandbox/docker/docker-runtime.ts';
import { FIXTURES, gradeDirectory, leftovers, phase } from '../support/grade-fixture.ts';
import { ensureStaticImage } from '../support/static-image.ts';

describe('a submission whose image has no Node at all', () => {
  it('is started, probed and checked: the prober runs in the harness\'s own image', async () => {
    const runtime = connectRuntime();
    // Nothing but a static busybox: no node, no npm, no libc (see ensureStaticImage).
    const image = await ensureStaticImage(runtime);
    const report = await gradeDirectory(path.join(FIXTURES, 'no-node-static'), {
      submission: { image, start: 'exec busybox httpd -f -p "$PORT" -h www' },
      checks: ['startup.health-ok', 'error_handling.unknown-route-404'],
      load: { enabled: false },
      deadlines: { start: 10 },
    });
    expect(report.environment.image.name).toBe(image);
    expect(report.environment.toolchain).toMatchObject({ id: 'command' });
    expect(report.environment.start).toEqual({ command: 'exec busybox httpd -f -p "$PORT" -h www', from: 'given by the grader (--start)' });
    expect(phase(report, 'install').status).toBe('ok');
    expect(phase(report, 'start').status).toBe('ok');
    expect(phase(report, 'checks').status).toBe('ok');
    expect(report.checks.find((check) => check.id === 'startup.health-ok')?.status).toBe('pass');
    // busybox answers an unknown route 404 with an HTML body: the check ran and judged it.
    const unknownRoute = report.checks.find((check) => check.id === 'error_handling.unknown-route-404');
    expect(unknownRoute?.evidence.length).toBeGreaterThan(0);
    expect(unknownRoute?.evidence[0]?.response?.status).toBe(404);
    expect(report.gradable).toBe(true);
    expect(await leftovers(report.jobId)).toEqual({ containers: [], volumes: [], networks: [] });
  });
});
