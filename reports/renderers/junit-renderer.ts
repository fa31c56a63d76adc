import type { Renderer } from '../renderer.ts';
import type { CheckResult, CheckStatus } from '../../core/report.ts';
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
  switch (check.status) {
    case 'pass':
      return `    <testcase ${attrs}/>`;
    case 'skip':
    case 'not_run':
      return `    <testcase ${attrs}>\n      <skipped message="${xml(`${check.status === 'not_run' ? 'not run: ' : ''}${check.message}`)}"/>\n    </testcase>`;
    case 'fail':
      return `    <testcase ${attrs}>\n      <failure message="${xml(check.message)}" type="${xml(check.tier)}">${xml(`${check.message}\naccepted: ${check.accepted}`)}</failure>\n    </testcase>`;
    case 'error':
      return `    <testcase ${attrs}>\n      <error message="${xml(check.message)}" type="harness">${xml(check.message)}</error>\n    </testcase>`;
  }
}

/** One testsuite per area, one testcase per check: what CI dashboards read. */
export const junitRenderer: Renderer = {
  format: 'junit',
  fileName: 'junit.xml',
  render(report) {
    const suites = areasWithChecks(report.checks).map((area) => {
      const checks = report.checks.filter((check) => check.area === area);
      const count = (status: CheckStatus) => checks.filter((check) => check.status === status).length;
      const time = checks.reduce((sum, check) => sum + check.durationMs, 0) / 1000;
      return `  <testsuite name="${xml(area)}" tests="${checks.length}" failures="${count('fail')}" errors="${count('error')}" skipped="${count('skip') + count('not_run')}" time="${time.toFixed(3)}" timestamp="${report.startedAt.replace(/Z$/, '')}">\n${checks.map(testcase).join('\n')}\n  </testsuite>`;
    });
    const total = (status: CheckStatus) => report.checks.filter((check) => check.status === status).length;
    return `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="${xml(`${report.assignment.id} — ${report.submission.name}`)}" tests="${report.checks.length}" failures="${total('fail')}" errors="${total('error')}" skipped="${total('skip') + total('not_run')}" time="${(report.durationMs / 1000).toFixed(3)}">\n${suites.join('\n')}\n</testsuites>\n`;
  },
};
