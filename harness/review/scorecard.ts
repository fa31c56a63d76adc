import type { Report } from '../../core/report.ts';
import type { Review } from './review-schema.ts';

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

/**
 * Merges the reviews of one report: per criterion the automated suggestion and each
 * reviewer's level side by side, disagreements flagged, and a warning while fewer than two
 * reviewers have scored it.
 */
export function scorecardMarkdown(report: Report, reviews: readonly Review[]): string {
  const lines = [`# Scorecard — ${report.assignment.title} — ${report.submission.name}`, ''];
  if (reviews.length < 2) lines.push(`> **Only ${reviews.length} review${reviews.length === 1 ? '' : 's'}.** Hiring guides ask for at least two independent reviewers before a decision.`, '');
  const reviewers = reviews.map((review) => review.reviewer);
  lines.push(`| Criterion | Suggested | ${reviewers.map(cell).join(' | ')} | Agreement |`, `| --- | --- | ${reviewers.map(() => '---').join(' | ')} | --- |`);
  const criteria = [...new Set([...report.rubric.map((r) => r.criterion), ...reviews.flatMap((review) => review.criteria.map((c) => c.criterion))])];
  let disagreements = 0;
  for (const criterion of criteria) {
    const suggestion = report.rubric.find((r) => r.criterion === criterion);
    const levels = reviews.map((review) => review.criteria.find((c) => c.criterion === criterion)?.level ?? null);
    const given = levels.filter((level): level is NonNullable<typeof level> => level !== null);
    const disagree = new Set(given).size > 1;
    if (disagree) disagreements += 1;
    lines.push(
      `| ${cell(suggestion?.title ?? criterion)} | ${suggestion?.suggested ?? '—'} | ${levels.map((level) => level ?? '—').join(' | ')} | ${disagree ? '**DISAGREE** — discuss' : given.length > 1 ? 'agree' : '—'} |`,
    );
  }
  lines.push('', '## Recommendations', '');
  for (const review of reviews) {
    lines.push(`- **${cell(review.reviewer)}**: ${review.recommendation}${review.rejectReason ? ` (reason: ${review.rejectReason})` : ''}${review.note ? ` — ${cell(review.note)}` : ''}`);
  }
  const recommendations = new Set(reviews.map((review) => review.recommendation));
  const recommendationsDiffer = recommendations.size > 1;
  if (recommendationsDiffer) lines.push('', '**The recommendations differ.** Resolve before deciding.');
  const parts = [`${disagreements} ${disagreements === 1 ? 'criterion' : 'criteria'}`, ...(recommendationsDiffer ? ['the recommendation'] : [])];
  lines.push('', disagreements === 0 && !recommendationsDiffer ? 'The reviewers agree.' : `Disagreement on ${parts.join(' and ')}.`);
  const notes = reviews.flatMap((review) => review.criteria.filter((c) => c.note).map((c) => `- ${cell(review.reviewer)} on ${cell(c.criterion)}: ${cell(c.note)}`));
  if (notes.length > 0) lines.push('', '## Notes', '', ...notes);
  return `${lines.join('\n')}\n`;
}
