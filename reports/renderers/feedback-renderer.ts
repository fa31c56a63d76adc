import type { Renderer } from '../renderer.ts';
import type { Report } from '../../core/report.ts';
import { candidateView } from '../candidate-view.ts';

/**
 * What the candidate may read: per area, whether the submission met the brief, in neutral
 * words (see candidateView). Never check names, requests, thresholds or evidence.
 */
export const feedbackRenderer: Renderer = {
  format: 'feedback',
  fileName: 'feedback.md',
  render(report: Report) {
    const view = candidateView(report);
    const lines = [`# Feedback on your submission: ${report.assignment.title}`, ''];
    if (view.harnessFailed) {
      lines.push('We could not complete an automated review of your submission because of a problem on our side. A reviewer will look at it directly.', '');
      return `${lines.join('\n')}\n`;
    }
    if (view.stopped) lines.push(`${view.stopped}, so the parts below that depend on it could not be checked automatically.`, '');
    for (const area of view.areas) lines.push(`## ${area.name}`, '', area.text, '');
    lines.push('A reviewer will go through your code and your README as well; this summary covers only the automated part.');
    return `${lines.join('\n')}\n`;
  },
};
