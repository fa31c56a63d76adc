import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PACKAGE_ROOT } from '../../harness/paths.ts';
import { reportSchema, type Report } from '../../core/report.ts';

/** A real report of the reference, with two checks turned into a failure and an error. */
export function sampleReport(): Report {
  const report = reportSchema.parse(JSON.parse(readFileSync(path.join(PACKAGE_ROOT, 'test/fixtures/reports/reference-report.json'), 'utf8')));
  const boundary = report.checks.find((check) => check.id === 'rate_limit.boundary');
  if (boundary) Object.assign(boundary, { status: 'fail', points: 0, message: 'request 6 answered HTTP 200; budget is 5 per 3000 ms, so it should be 429 <script>alert(1)</script> & "quotes"' });
  const walk = report.checks.find((check) => check.id === 'pagination.full-walk');
  if (walk) Object.assign(walk, { status: 'error', points: 0, message: 'harness error: the prober did not report this check' });
  report.score.points = report.checks.reduce((sum, check) => sum + check.points, 0);
  // A distinctive identity, so a blind-mode test can search for it.
  report.submission = { ...report.submission, name: 'janedoe-takehome', source: 'https://github.com/janedoe/takehome.git', kind: 'git-url' };
  return report;
}
