import { reportSchema, type Report } from '../core/report.ts';

/**
 * Blind review: the reviewer sees an alias, not who submitted or where from. The name and
 * source fields are replaced, and so is the source wherever a message quotes it (a phase
 * that says "source not found: /home/grader/alice-smith", a clone error naming the URL).
 */
export function blindReport(report: Report, alias: string): Report {
  const source = report.submission.source;
  const hidden = `(${alias}'s submission)`;
  const quoted = [source, source.replace(/\/+$/, ''), source.replace(/\.git$/, '')].filter((text, index, all) => text.length >= 4 && all.indexOf(text) === index).sort((a, b) => b.length - a.length);
  let text = JSON.stringify(report);
  for (const form of quoted) text = text.split(JSON.stringify(form).slice(1, -1)).join(hidden);
  const scrubbed = reportSchema.parse(JSON.parse(text));
  return { ...scrubbed, submission: { ...scrubbed.submission, name: alias, source: '(hidden for blind review)', dropped: report.submission.dropped } };
}
