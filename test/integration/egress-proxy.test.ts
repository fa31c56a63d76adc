import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FIXTURES, gradeDirectory, leftovers, phase } from '../support/grade-fixture.ts';

const FEW_CHECKS = ['startup.health-ok'];

describe('install and build reach the outside only through the allowlisting egress proxy (real Docker)', () => {
  it('a postinstall that tries to get data out: every attempt fails, the install succeeds, the findings list what was refused', async () => {
    const report = await gradeDirectory(path.join(FIXTURES, 'hostile/install-egress'), { deadlines: { start: 30, checks: 40, total: 200 }, checks: FEW_CHECKS });
    const install = phase(report, 'install');
    expect(install.status, install.log ?? '').toBe('ok');
    const log = install.log ?? '';
    expect(log).toMatch(/exfil: proxy from env: set/);
    for (const attempt of ['dns secret-data.tg-exfil.invalid', 'https exfil.invalid direct', 'tcp 1.1.1.1:443 direct', 'https exfil.invalid via proxy', 'http exfil.invalid via proxy']) {
      expect(log).toMatch(new RegExp(`exfil: ${attempt.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: blocked`));
    }
    expect(log).not.toMatch(/CONNECTED|RESOLVED/);
    expect(log).toMatch(/via proxy: blocked 403/);

    const finding = report.security.findings.find((entry) => entry.kind === 'egress-denied');
    expect(finding, JSON.stringify(report.security)).toBeDefined();
    expect(finding).toMatchObject({ severity: 'serious', where: 'install' });
    expect(finding?.summary).toMatch(/^\d+ connections to hosts outside the allowlist were refused: /);
    const evidence = finding?.evidence.join('\n') ?? '';
    expect(evidence).toMatch(/connect exfil\.invalid:443 refused/);
    expect(evidence).toMatch(/http exfil\.invalid:80 refused/);
    expect(evidence).toMatch(/dns secret-data\.tg-exfil\.invalid \(DNS lookup\) refused/);
    expect(finding?.count).toBeGreaterThanOrEqual(3);
    expect(report.security.watched.some((line) => /^egress of install and build through the allowlisting proxy \(allowed: .*registry\.npmjs\.org:443/.test(line))).toBe(true);
    // The server still ran and was graded.
    expect(phase(report, 'start').status).toBe('ok');
    expect(await leftovers(report.jobId)).toEqual({ containers: [], volumes: [], networks: [] });
  });
});
