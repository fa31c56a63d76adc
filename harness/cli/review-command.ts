import { mkdir, readdir } from 'node:fs/promises';
import { readJsonFile } from '../read-json-file.ts';
import path from 'node:path';
import { createInterface } from 'node:readline/promises';
import { reportSchema, type Report } from '../../core/report.ts';
import { renderReportHtml } from '../../reports/renderers/html-renderer.ts';
import { writeAtomic } from '../../reports/write-report.ts';
import { UsageError, formatZodIssues } from '../../core/errors.ts';
import { LEVELS, RECOMMENDATIONS, REJECT_REASONS, reviewSchema, type Review } from '../review/review-schema.ts';
import { scorecardMarkdown } from '../review/scorecard.ts';

export interface ReviewOptions {
  reportDir: string;
  reviewer: string;
  /** criterion=level pairs given as flags (CI); the rest are asked on a terminal. */
  level?: string[];
  note?: string[];
  recommend?: string;
  reason?: string;
  comment?: string;
}

function pairs(values: string[] | undefined): Map<string, string> {
  const map = new Map<string, string>();
  for (const value of values ?? []) {
    const at = value.indexOf('=');
    if (at < 1) throw new UsageError(`expected criterion=value, got "${value}"`);
    map.set(value.slice(0, at), value.slice(at + 1));
  }
  return map;
}

async function readReport(dir: string): Promise<Report> {
  const read = await readJsonFile(path.join(dir, 'report.json'), reportSchema);
  if (read.kind === 'missing') throw new UsageError(`no report.json in ${dir}`);
  if (read.kind === 'invalid') throw new UsageError(`cannot review: ${read.message}`);
  return read.value;
}

export async function readReviews(dir: string): Promise<Review[]> {
  const folder = path.join(dir, 'reviews');
  const files = (await readdir(folder).catch(() => [] as string[])).filter((file) => file.endsWith('.json')).sort();
  const reviews: Review[] = [];
  for (const file of files) {
    const read = await readJsonFile(path.join(folder, file), reviewSchema);
    // A review that no longer reads is named, never silently left out of the scorecard.
    if (read.kind === 'invalid') throw new UsageError(`cannot read a review: ${read.message}`);
    if (read.kind === 'ok') reviews.push(read.value);
  }
  return reviews;
}

/** `grader review`: one reviewer's levels, recommendation and notes; then the merged scorecard. */
export async function reviewCommand(options: ReviewOptions): Promise<number> {
  const report = await readReport(options.reportDir);
  const levels = pairs(options.level);
  const notes = pairs(options.note);
  // A criterion the rubric does not have is a typo that would silently drop the reviewer's judgement.
  const known = report.rubric.map((suggestion) => suggestion.criterion);
  const unknown = [...levels.keys(), ...notes.keys()].filter((criterion) => !known.includes(criterion));
  if (unknown.length > 0) throw new UsageError(`no criterion ${[...new Set(unknown)].map((c) => `"${c}"`).join(', ')} in this report's rubric (criteria: ${known.join(', ') || 'none'})`);
  if (options.reason !== undefined && options.recommend !== undefined && options.recommend !== 'reject') throw new UsageError(`--reason is for a reject; the recommendation is ${options.recommend}`);
  const interactive = process.stdin.isTTY === true;
  const rl = interactive ? createInterface({ input: process.stdin, output: process.stderr }) : null;
  const ask = async (question: string, allowed: readonly string[], given: string | undefined, suggested: string | null = null): Promise<string> => {
    if (given !== undefined) {
      if (!allowed.includes(given)) throw new UsageError(`${question}: "${given}" is not one of ${allowed.join(', ')}`);
      return given;
    }
    if (!rl) throw new UsageError(`${question}: not given, and no terminal to ask on (pass it as a flag)`);
    const choices = allowed.map((choice) => (choice === suggested ? `${choice} (Enter)` : choice)).join('/');
    for (;;) {
      const answer = (await rl.question(`${question} [${choices}]: `)).trim();
      // Enter takes the suggestion, when there is one.
      if (answer === '' && suggested !== null && allowed.includes(suggested)) return suggested;
      if (allowed.includes(answer)) return answer;
      process.stderr.write(`  ${answer === '' ? 'an answer is needed' : `"${answer}" is not a choice`}: type one of ${allowed.join(', ')}\n`);
    }
  };
  // Ctrl-C or Ctrl-D at a prompt ends the review without saving it: no internal error.
  const aborted = (error: unknown) => error instanceof Error && (error.name === 'AbortError' || /Ctrl\+[CD]|closed/i.test(error.message));
  try {
    const criteria = [];
    for (const suggestion of report.rubric) {
      const level = await ask(`${suggestion.title} (suggested: ${suggestion.suggested ?? 'none'})`, LEVELS, levels.get(suggestion.criterion), suggestion.suggested ?? null);
      const note = notes.get(suggestion.criterion) ?? (rl ? (await rl.question('  note (optional): ')).trim() : '');
      criteria.push({ criterion: suggestion.criterion, level, note });
    }
    const recommendation = await ask('Overall recommendation', RECOMMENDATIONS, options.recommend);
    const rejectReason = recommendation === 'reject' ? await ask('Primary reason', REJECT_REASONS, options.reason) : null;
    const parsed = reviewSchema.safeParse({
      reviewer: options.reviewer,
      reviewedAt: new Date().toISOString(),
      reportJobId: report.jobId,
      criteria,
      recommendation,
      rejectReason,
      note: options.comment ?? '',
    });
    if (!parsed.success) throw new UsageError(formatZodIssues(parsed.error, 'review'));
    const folder = path.join(options.reportDir, 'reviews');
    await mkdir(folder, { recursive: true });
    const file = path.join(folder, `${options.reviewer.replace(/[^\w.@-]+/g, '_')}.json`);
    await writeAtomic(file, `${JSON.stringify(parsed.data, null, 2)}\n`);
    const scorecard = path.join(options.reportDir, 'scorecard.md');
    const reviews = await readReviews(options.reportDir);
    await writeAtomic(scorecard, scorecardMarkdown(report, reviews));
    // report.html shows the scorecard too, beside the automated suggestions.
    const summaries = reviews.map((review) => ({
      reviewer: review.reviewer,
      recommendation: review.recommendation,
      rejectReason: review.rejectReason,
      levels: Object.fromEntries(review.criteria.map((c) => [c.criterion, c.level])),
    }));
    await writeAtomic(path.join(options.reportDir, 'report.html'), renderReportHtml(report, summaries));
    process.stdout.write(`review: ${file}\nscorecard: ${scorecard}\n`);
    return 0;
  } catch (error) {
    if (aborted(error)) {
      process.stderr.write('\ngrader: review aborted; nothing was saved\n');
      return 130;
    }
    throw error;
  } finally {
    rl?.close();
  }
}
