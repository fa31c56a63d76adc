import type { Renderer } from '../renderer.ts';
import { STATUS_EXPORTS } from '../status-exports.ts';

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
      // Checks that do not fit the declared API are not the assignment's: left out, so the
      // sum of max_score is the assignment's maximum, the same on every run.
      tests: report.checks.filter((check) => check.applies).map((check) => ({
        name: `${check.title} (${check.id})`,
        score: check.points,
        max_score: check.maxPoints,
        status: STATUS_EXPORTS[check.status].gradescope,
        output: `${STATUS_EXPORTS[check.status].label}: ${check.message}`,
        visibility: 'after_published',
      })),
    };
    return `${JSON.stringify(results, null, 2)}\n`;
  },
};
