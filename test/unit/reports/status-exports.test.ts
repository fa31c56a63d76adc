import { parse as parseJunit } from 'junit2json';
import { describe, expect, it } from 'vitest';
import { CHECK_STATUSES, type CheckStatus } from '../../../core/statuses.ts';
import type { Report } from '../../../core/report.ts';
import { classroomRenderer } from '../../../reports/renderers/classroom-renderer.ts';
import { feedbackRenderer } from '../../../reports/renderers/feedback-renderer.ts';
import { gradescopeRenderer } from '../../../reports/renderers/gradescope-renderer.ts';
import { junitRenderer } from '../../../reports/renderers/junit-renderer.ts';
import { STATUS_EXPORTS } from '../../../reports/status-exports.ts';
import { sampleReport } from '../../support/sample-report.ts';

/** The sample report with its checks given every status in turn (and its score recomputed as the harness does). */
function withStatuses(pick: (index: number) => CheckStatus): Report {
  const report = sampleReport();
  // A check for another pagination style, as the planner reports it: skipped, out of the maximum.
  const template = report.checks[0];
  if (template) report.checks.push({ ...template, id: 'pagination.invalid-page', area: 'pagination', status: 'skip', points: 0, maxPoints: 0, applies: false, message: 'not applicable: the assignment declares cursor pagination' });
  report.score.max = report.checks.reduce((sum, check) => sum + check.maxPoints, 0);
  report.checks.forEach((check, index) => {
    if (!check.applies) return;
    const status = pick(index);
    const full = check.maxPoints;
    Object.assign(check, { status, points: STATUS_EXPORTS[status].earned ? full : 0, message: `${status} message` });
  });
  report.score.points = report.checks.reduce((sum, check) => sum + check.points, 0);
  return report;
}

const everyStatus = withStatuses((index) => CHECK_STATUSES[index % CHECK_STATUSES.length] ?? 'pass');

describe('every status in every export agrees with report.json', () => {
  it('the sample holds every status and a check that does not apply', () => {
    expect(new Set(everyStatus.checks.filter((check) => check.applies).map((check) => check.status))).toEqual(new Set(CHECK_STATUSES));
    expect(everyStatus.checks.some((check) => !check.applies)).toBe(true);
  });

  it('junit.xml: each applicable check is the kind its status maps to, and the totals are their sums', async () => {
    const xml = junitRenderer.render(everyStatus);
    const parsed = (await parseJunit(xml)) as { tests?: number; failures?: number; errors?: number; skipped?: number; testsuite?: Array<{ name?: string; testcase?: Array<{ name?: string; failure?: unknown; error?: unknown; skipped?: unknown }> }> };
    const cases = (parsed.testsuite ?? []).filter((suite) => suite.name !== 'phases').flatMap((suite) => suite.testcase ?? []);
    const applicable = everyStatus.checks.filter((check) => check.applies);
    expect(cases).toHaveLength(applicable.length);
    for (const check of applicable) {
      const testcase = cases.find((candidate) => candidate.name?.startsWith(`${check.id}:`));
      const kind = testcase?.failure ? 'failure' : testcase?.error ? 'error' : testcase?.skipped ? 'skipped' : 'passed';
      expect(kind, check.id).toBe(STATUS_EXPORTS[check.status].junit);
    }
    const count = (kind: string) => applicable.filter((check) => STATUS_EXPORTS[check.status].junit === kind).length;
    expect(parsed.failures).toBe(count('failure'));
    expect(parsed.errors).toBe(count('error'));
  });

  it('junit.xml: a failed phase fails the file, even with no failed check', async () => {
    const report = withStatuses(() => 'not_run');
    const start = report.phases.find((phase) => phase.name === 'start');
    if (start) Object.assign(start, { status: 'failed', code: 'NEVER_READY', blame: 'candidate', message: 'no answer on the port' });
    const parsed = (await parseJunit(junitRenderer.render(report))) as { failures?: number };
    expect(parsed.failures).toBe(1);
  });

  it('results.json (Gradescope): the mapping per test, the score and the fixed maximum', () => {
    const results = JSON.parse(gradescopeRenderer.render(everyStatus)) as { score: number; tests: Array<{ name: string; score: number; max_score: number; status: string; output: string }> };
    const applicable = everyStatus.checks.filter((check) => check.applies);
    expect(results.tests).toHaveLength(applicable.length);
    for (const check of applicable) {
      const test = results.tests.find((candidate) => candidate.name.endsWith(`(${check.id})`));
      expect(test?.status, check.id).toBe(STATUS_EXPORTS[check.status].gradescope);
      expect(test?.output.startsWith(`${STATUS_EXPORTS[check.status].label}:`)).toBe(true);
      expect(test?.score).toBe(check.points);
    }
    expect(results.score).toBe(everyStatus.score.points);
    expect(results.tests.reduce((sum, test) => sum + test.max_score, 0)).toBe(everyStatus.score.max);
  });

  it('classroom.json: the fixed maximum, area scores that add up, no hidden check names', () => {
    const result = JSON.parse(classroomRenderer.render(everyStatus)) as { version: number; status: string; max_score: number; tests: Array<{ name: string; status: string; score: number; message: string }> };
    expect(result.version).toBe(1);
    expect(result.max_score).toBe(everyStatus.score.max);
    expect(result.tests.reduce((sum, test) => sum + test.score, 0)).toBeLessThanOrEqual(everyStatus.score.points);
    const text = JSON.stringify(result);
    for (const check of everyStatus.checks) expect(text).not.toContain(check.id);
    expect(result.status).toBe('fail');
  });

  it('feedback.md never claims a failure when nothing ran, and names the step that stopped it', () => {
    const report = withStatuses(() => 'not_run');
    const build = report.phases.find((phase) => phase.name === 'build');
    if (build) Object.assign(build, { status: 'failed', code: 'BUILD_FAILED', blame: 'candidate', message: 'tsc exited 2' });
    const text = feedbackRenderer.render(report);
    expect(text).toMatch(/did not build in our environment/);
    expect(text).not.toMatch(/did not match the brief|did not follow the brief|did not meet/);
    expect(text).not.toMatch(/tsc exited/);
  });

  it('the maximum does not depend on what ran: a skip earns, a not-run withholds, both keep the maximum', () => {
    const passing = withStatuses(() => 'pass');
    const skipping = withStatuses(() => 'skip');
    const notRun = withStatuses(() => 'not_run');
    expect(skipping.score.max).toBe(passing.score.max);
    expect(notRun.score.max).toBe(passing.score.max);
    expect(skipping.score.points).toBe(passing.score.points);
    expect(notRun.score.points).toBe(0);
  });
});

describe('the score of one check, as the harness computes it', () => {
  const check = { id: 'x.y', area: 'pagination' as const, tier: 'signal' as const, title: 'x', points: 3, standard: 's', accepted: 'a' };
  it.each([
    ['pass', true, 3, 3],
    ['skip', true, 3, 3],
    ['fail', true, 0, 3],
    ['error', true, 0, 3],
    ['not_run', true, 0, 3],
    ['skip', false, 0, 0],
  ] as const)('%s (applies: %s) scores %d of %d', async (status, applies, points, max) => {
    const { checkResult } = await import('../../../harness/results/check-results.ts');
    expect(checkResult(check, { status, message: 'm', applies })).toMatchObject({ points, maxPoints: max, applies });
  });
});

describe('report.md keeps evidence short and points to report.json for the rest', () => {
  it('a failing check shows its first exchanges, shortened; a passing one only says where its evidence is', async () => {
    const { markdownRenderer } = await import('../../../reports/renderers/markdown-renderer.ts');
    const report = sampleReport();
    const failing = report.checks.find((check) => check.status === 'fail');
    const passing = report.checks.find((check) => check.status === 'pass' && check.evidence.length > 0);
    if (!failing || !passing) throw new Error('the sample report has a failing and a passing check with evidence');
    const long = { request: { method: 'GET', path: '/items' }, response: { status: 500, headers: {}, body: 'line\n'.repeat(200), bodyBytes: 1000, bodyTruncated: false } };
    failing.evidence = Array.from({ length: 8 }, () => long);
    const text = markdownRenderer.render(report);
    const section = text.slice(text.indexOf(`\`${failing.id}\``), text.indexOf('### ', text.indexOf(`\`${failing.id}\``)));
    expect(section).toMatch(/Evidence \(3 of 8\)/);
    expect(section).toMatch(/shortened here; whole in report.json/);
    expect(section).toMatch(/5 more entries in \[report.json\]\(report.json\)/);
    expect(section.split('\n').length).toBeLessThan(120);
    const passed = text.slice(text.indexOf(`\`${passing.id}\``), text.indexOf('### ', text.indexOf(`\`${passing.id}\``)));
    expect(passed).not.toMatch(/<details>/);
    expect(passed).toMatch(/in \[report.json\]\(report.json\)/);
  });
});
