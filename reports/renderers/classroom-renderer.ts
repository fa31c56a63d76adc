import type { Renderer } from '../renderer.ts';
import { candidateView } from '../candidate-view.ts';

/**
 * GitHub Classroom's autograding result (what `autograding-grading-reporter` reads, base64
 * encoded, from a step's `result` output): `version`, `status`, `max_score`, and one test per
 * area. Classroom shows it to the candidate, so it carries the feedback's words, never a
 * hidden check's name. `max_score` is the assignment's maximum, the same on every run.
 */
export const classroomRenderer: Renderer = {
  format: 'classroom',
  fileName: 'classroom.json',
  render(report) {
    const view = candidateView(report);
    const status = view.harnessFailed ? 'error' : view.areas.some((area) => area.verdict === 'missed') || view.stopped ? 'fail' : view.areas.every((area) => area.verdict === 'met') ? 'pass' : 'error';
    const result = {
      version: 1,
      status,
      max_score: report.score.max,
      tests: view.areas.map((area) => ({
        name: area.name,
        status: area.verdict === 'met' ? 'pass' : area.verdict === 'missed' ? 'fail' : 'error',
        message: view.harnessFailed ? 'not reviewed automatically: a problem on our side' : area.text,
        score: view.harnessFailed ? 0 : area.points,
      })),
    };
    return `${JSON.stringify(result, null, 2)}\n`;
  },
};
