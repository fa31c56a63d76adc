import type { Report } from '../core/report.ts';

/** Blind review: the reviewer sees an alias, not who submitted or where from. */
export function blindReport(report: Report, alias: string): Report {
  return { ...report, submission: { ...report.submission, name: alias, source: '(hidden for blind review)', dropped: report.submission.dropped } };
}
