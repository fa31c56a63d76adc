import type { Renderer } from '../renderer.ts';
import type { CheckResult, Phase } from '../../core/report.ts';
import { STATUS_EXPORTS } from '../status-exports.ts';
import { areasWithChecks } from '../by-area.ts';

/** XML 1.0 text: escaped, and without the control characters XML cannot carry. */
function xml(text: string): string {
  return text
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;');
}

function testcase(check: CheckResult): string {
  const attrs = `classname="${xml(`${check.area}.${check.tier}`)}" name="${xml(`${check.id}: ${check.title}`)}" time="${(check.durationMs / 1000).toFixed(3)}"`;
  const { junit, label } = STATUS_EXPORTS[check.status];
  switch (junit) {
    case 'passed':
      return `    <testcase ${attrs}/>`;
    case 'skipped':
      return `    <testcase ${attrs}>\n      <skipped message="${xml(`${label}: ${check.message}`)}"/>\n    </testcase>`;
    case 'failure':
      return `    <testcase ${attrs}>\n      <failure message="${xml(check.message)}" type="${xml(check.tier)}">${xml(`${check.message}\naccepted: ${check.accepted}`)}</failure>\n    </testcase>`;
    case 'error':
      return `    <testcase ${attrs}>\n      <error message="${xml(check.message)}" type="${xml(check.blame ?? 'harness')}">${xml(check.message)}</error>\n    </testcase>`;
  }
}

/** A phase as a test case: a failed install or start is a failure (or an error, when the harness failed), never a green run. */
function phaseCase(phase: Phase): string {
  const attrs = `classname="phases" name="${xml(phase.name)}" time="${(phase.durationMs / 1000).toFixed(3)}"`;
  if (phase.status === 'ok') return `    <testcase ${attrs}/>`;
  if (phase.status === 'skipped') return `    <testcase ${attrs}>\n      <skipped message="${xml(phase.message)}"/>\n    </testcase>`;
  const kind = phase.blame === 'harness' ? 'error' : 'failure';
  return `    <testcase ${attrs}>\n      <${kind} message="${xml(`${phase.code}: ${phase.message}`)}" type="${xml(phase.code)}">${xml(phase.log ?? phase.message)}</${kind}>\n    </testcase>`;
}

interface Tally {
  tests: number;
  failures: number;
  errors: number;
  skipped: number;
}

function tally(kinds: ReadonlyArray<'passed' | 'failure' | 'error' | 'skipped'>): Tally {
  return {
    tests: kinds.length,
    failures: kinds.filter((kind) => kind === 'failure').length,
    errors: kinds.filter((kind) => kind === 'error').length,
    skipped: kinds.filter((kind) => kind === 'skipped').length,
  };
}

const counts = (t: Tally) => `tests="${t.tests}" failures="${t.failures}" errors="${t.errors}" skipped="${t.skipped}"`;

const phaseKind = (phase: Phase) => (phase.status === 'ok' ? 'passed' : phase.status === 'skipped' ? 'skipped' : phase.blame === 'harness' ? 'error' : 'failure');

/**
 * One testsuite for the phases (a failed phase fails the file), then one per area with one
 * testcase per applicable check: what CI dashboards read. The totals are the sums of the suites.
 */
export const junitRenderer: Renderer = {
  format: 'junit',
  fileName: 'junit.xml',
  render(report) {
    const applicable = report.checks.filter((check) => check.applies);
    const timestamp = report.startedAt.replace(/Z$/, '');
    const phases = tally(report.phases.map(phaseKind));
    const phaseTime = report.phases.reduce((sum, phase) => sum + phase.durationMs, 0) / 1000;
    const suites = [`  <testsuite name="phases" ${counts(phases)} time="${phaseTime.toFixed(3)}" timestamp="${timestamp}">\n${report.phases.map(phaseCase).join('\n')}\n  </testsuite>`];
    const totals = [phases];
    for (const area of areasWithChecks(applicable)) {
      const checks = applicable.filter((check) => check.area === area);
      const t = tally(checks.map((check) => STATUS_EXPORTS[check.status].junit));
      totals.push(t);
      const time = checks.reduce((sum, check) => sum + check.durationMs, 0) / 1000;
      suites.push(`  <testsuite name="${xml(area)}" ${counts(t)} time="${time.toFixed(3)}" timestamp="${timestamp}">\n${checks.map(testcase).join('\n')}\n  </testsuite>`);
    }
    const all = totals.reduce((a, b) => ({ tests: a.tests + b.tests, failures: a.failures + b.failures, errors: a.errors + b.errors, skipped: a.skipped + b.skipped }));
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(`${report.assignment.id} — ${report.submission.name}`)}" ${counts(all)} time="${(report.durationMs / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
  },
};
