import type { Renderer } from '../renderer.ts';
import type { Area, Report } from '../../core/report.ts';
import { areasWithChecks } from '../by-area.ts';

const AREA_TEXT: Record<Area, { name: string; good: string; gap: string }> = {
  startup: { name: 'Running the service', good: 'The service installed, started and reported itself healthy as the brief describes.', gap: 'The service did not install, start or report itself healthy as the brief describes.' },
  rate_limit: { name: 'Rate limiting', good: 'Rate limiting behaved as the brief describes.', gap: 'Parts of the rate-limiting behaviour did not match the brief.' },
  pagination: { name: 'Pagination', good: 'Listing and pagination behaved as the brief describes.', gap: 'Parts of the listing and pagination behaviour did not match the brief.' },
  error_handling: { name: 'Error handling', good: 'Error responses followed the brief.', gap: 'Some error responses did not follow the brief.' },
  load: { name: 'Performance', good: 'The service met the performance expectations in the brief.', gap: 'The service did not meet all of the performance expectations in the brief.' },
  security: { name: 'Security', good: 'No security problems were found.', gap: 'Some security expectations were not met.' },
  repo: { name: 'Repository', good: 'The repository was in good order.', gap: 'Some repository expectations were not met.' },
  resources: { name: 'Resource use', good: 'The service stayed within the resource expectations in the brief.', gap: 'The service used more resources than the brief allows.' },
  contract: { name: 'Behaviour', good: 'The service behaved as the brief describes.', gap: 'Parts of the behaviour did not match the brief.' },
};

/**
 * What the candidate may read: per area, whether the submission met the brief, in neutral
 * words. Never check names, requests, thresholds or evidence: those are the hidden tests.
 */
export const feedbackRenderer: Renderer = {
  format: 'feedback',
  fileName: 'feedback.md',
  render(report: Report) {
    const lines = [`# Feedback on your submission: ${report.assignment.title}`, ''];
    if (report.phases.some((phase) => phase.status === 'failed' && phase.blame === 'harness')) {
      lines.push('We could not complete an automated review of your submission because of a problem on our side. A reviewer will look at it directly.', '');
      return `${lines.join('\n')}\n`;
    }
    for (const area of areasWithChecks(report.checks)) {
      const must = report.checks.filter((check) => check.area === area && check.tier === 'must');
      if (must.length === 0) continue;
      const met = must.every((check) => check.status === 'pass');
      const seenFailing = must.some((check) => check.status === 'fail');
      // Only what was observed: an area whose checks could not run says so, not that the brief was missed.
      const text = met ? AREA_TEXT[area].good : seenFailing ? AREA_TEXT[area].gap : 'This part could not be fully checked automatically; a reviewer will look at it.';
      lines.push(`## ${AREA_TEXT[area].name}`, '', text, '');
    }
    lines.push('A reviewer will go through your code and your README as well; this summary covers only the automated part.');
    return `${lines.join('\n')}\n`;
  },
};
