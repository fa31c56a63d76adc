import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { REPORT_JSON_SCHEMA_PATH } from '../../reports/schema/export-schema.ts';
import { REFERENCE, gradeDirectory, leftovers, phase } from '../support/grade-fixture.ts';
import { PACKAGE_ROOT } from '../../harness/paths.ts';
import type { Report } from '../../core/report.ts';

describe('grading the reference solution through real Docker', () => {
  let report: Report;

  it('passes every applicable check with every phase ok', async () => {
    report = await gradeDirectory(REFERENCE, { load: { durationS: 3, runs: 2, warmupS: 1, seedCount: 300 } });
    // Load signals (throughput ratio, tail) measure the machine as much as the code; on a
    // busy CI they may fail, and they are information, so they are left out here.
    const failed = report.checks
      .filter((check) => (check.status === 'fail' || check.status === 'error') && !(check.area === 'load' && check.tier === 'signal'))
      .map((check) => `${check.id}: ${check.message}`);
    expect(failed).toEqual([]);
    // The reference sends no Link header, so that signal check finds nothing to hold against
    // it (one of its accepted answers: its points are earned); the checks for other API
    // shapes (offset, page numbers, totals) are not applicable, out of the maximum.
    const skipped = report.checks.filter((check) => check.status === 'skip');
    expect(skipped.filter((check) => check.applies).map((check) => [check.id, check.points, check.maxPoints])).toEqual([['pagination.link-header', 2, 2]]);
    const notApplicable = skipped.filter((check) => !check.applies && check.area !== 'security');
    expect(notApplicable.map((check) => check.id).sort()).toEqual([
      'pagination.first-page', 'pagination.has-more', 'pagination.invalid-offset', 'pagination.invalid-page', 'pagination.past-end', 'pagination.total-count',
    ]);
    expect(notApplicable.every((check) => check.maxPoints === 0 && check.message.startsWith('not applicable:'))).toBe(true);
    expect(report.phases.map((p) => `${p.name}:${p.status}`)).toEqual([
      'prepare:ok', 'fetch:ok', 'install:ok', 'build:ok', 'repo:ok', 'start:ok', 'checks:ok', 'load:ok',
    ]);
    expect(report.gradable).toBe(true);
    expect(report.score.max).toBeGreaterThan(0);
    expect(report.repo?.tests).toMatchObject({ status: 'passed', passed: 3, failed: 0 });
    expect(report.rubric.find((r) => r.criterion === 'security-data')?.suggested).toBe('exceeds');
    expect(report.prompts.map((p) => p.source)).toContain('area:rate_limit');
    expect(phase(report, 'install').message).toContain('npm ci');
  });

  it('has a clean security area: no finding above information, every security check passes or was not watched', () => {
    expect(report.security.findings.filter((finding) => finding.severity !== 'info')).toEqual([]);
    expect(report.security.watched.join('\n')).toMatch(/pids and memory events/);
    const verdicts = report.checks.filter((check) => check.area === 'security');
    expect(verdicts.map((check) => check.id)).toEqual(['security.no-egress-attempts', 'security.within-limits', 'security.no-internal-leaks']);
    for (const check of verdicts) expect(check.status === 'pass' || (check.status === 'skip' && !check.applies), `${check.id}: ${check.status} ${check.message}`).toBe(true);
  });

  it('validates against the exported JSON Schema', async () => {
    const schema = JSON.parse(await readFile(REPORT_JSON_SCHEMA_PATH, 'utf8')) as object;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    const valid = validate(JSON.parse(JSON.stringify(report)));
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('records evidence a reviewer can read for every check', () => {
    for (const check of report.checks.filter((c) => c.status !== 'skip')) {
      expect(check.evidence.length, check.id).toBeGreaterThan(0);
      expect(check.accepted, check.id).not.toBe('');
    }
    const boundary = report.checks.find((check) => check.id === 'rate_limit.boundary');
    const statuses = boundary?.evidence.map((entry) => entry.response?.status);
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
  });

  it('records the environment and the rate-limit env each instance got', () => {
    expect(report.environment.engineVersion).toMatch(/\d+\.\d+/);
    expect(report.environment.image.id).toMatch(/^sha256:/);
    expect(report.environment.candidateEnv.rate_limit).toMatchObject({ RATE_LIMIT_MAX: '5', RATE_LIMIT_WINDOW_MS: '3000', PORT: '3000' });
    expect(report.submission.source).toBe(path.join(PACKAGE_ROOT, 'assignments/rate-limited-items/reference'));
  });

  it('measures load: 2 runs, exact percentiles, and is its own baseline', () => {
    const load = report.load;
    expect(load?.measurement.runs).toHaveLength(2);
    const { latencyMs, rps } = load?.measurement.median ?? { latencyMs: { p50: 0, p95: 0, p99: 0 }, rps: 0 };
    expect(rps).toBeGreaterThan(100);
    expect(latencyMs.p50).toBeLessThanOrEqual(latencyMs.p95);
    expect(latencyMs.p95).toBeLessThanOrEqual(latencyMs.p99);
    expect(load?.ratios).toEqual({ rps: 1, p95: 1 });
    expect(load?.cpusets.candidate).not.toBe(load?.cpusets.prober);
  });

  it('leaves no container or volume of the job behind', async () => {
    expect(await leftovers(report.jobId)).toEqual({ containers: [], volumes: [], networks: [] });
  });
});
