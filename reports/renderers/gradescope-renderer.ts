import type { Renderer } from '../renderer.ts';

/**
 * Gradescope autograder results (results.json): `score`, and `tests[]` with `name`,
 * `score`, `max_score`, `status` and `output`. Hidden checks stay `after_published`, so
 * teams that import it do not show candidates the check names before grades are out.
 */
export const gradescopeRenderer: Renderer = {
  format: 'gradescope',
  fileName: 'results.json',
  render(report) {
    const results = {
      score: report.score.points,
      output: `${report.assignment.title}: ${report.score.points}/${report.score.max}${report.gradable ? '' : ' (not gradable: the harness failed)'}`,
      visibility: 'after_published',
      tests: report.checks.map((check) => ({
        name: `${check.title} (${check.id})`,
        score: check.points,
        max_score: check.maxPoints,
        // Gradescope knows only passed and failed; a check that did not run says so in its output.
        status: check.status === 'pass' ? 'passed' : 'failed',
        output: `${check.status === 'not_run' ? 'NOT RUN' : check.status.toUpperCase()}: ${check.message}`,
        visibility: 'after_published',
      })),
    };
    return `${JSON.stringify(results, null, 2)}\n`;
  },
};
