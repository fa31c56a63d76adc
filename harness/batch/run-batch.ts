import { mkdir, rename } from 'node:fs/promises';
import { readJsonFile } from '../read-json-file.ts';
import { redactCredentials } from '../../core/redact.ts';
import { isShuttingDown } from '../shutdown.ts';
import path from 'node:path';
import type { Logger } from 'pino';
import { summaryCsv, summaryMarkdown, type SummaryRow } from '../../reports/batch-summary.ts';
import { reportSchema, type PhaseName, type Report } from '../../core/report.ts';
import { writeAtomic, writeReport } from '../../reports/write-report.ts';
import type { SandboxRuntime } from '../../sandbox/runtime/sandbox-runtime.ts';
import type { Assignment } from '../assignment/load-assignment.ts';
import { UsageError, errorMessage } from '../../core/errors.ts';
import { gradeSubmission } from '../pipeline.ts';
import { pickOverrides } from '../plan/submission-overrides.ts';
import { pool } from '../pool.ts';
import { readRoster, type RosterRow } from './roster.ts';
import { folderFor } from './report-folder.ts';

export type BatchEvent =
  | { kind: 'queued'; candidate: string }
  | { kind: 'skipped'; candidate: string; reason: string }
  | { kind: 'phase'; candidate: string; phase: PhaseName; elapsedMs: number }
  | { kind: 'done'; candidate: string; elapsedMs: number; score: string; gradable: boolean }
  | { kind: 'failed'; candidate: string; elapsedMs: number; message: string };

export interface BatchOptions {
  rosterFile: string;
  outDir: string;
  assignment: Assignment;
  concurrency: number;
  skipInvalid: boolean;
  onEvent: (event: BatchEvent) => void;
}


/**
 * The report a previous run left, if it is whole. One that no longer reads (truncated,
 * edited, of an older schema) is moved aside under a name that says so, and the row is
 * graded again.
 */
async function completeReport(dir: string, log: Logger, expected: { assignment: Assignment['manifest']; source: string; ref: string | null }): Promise<Report | null> {
  const file = path.join(dir, 'report.json');
  const read = await readJsonFile(file, reportSchema);
  if (read.kind === 'ok') {
    const { assignment, submission } = read.value;
    // A report of another assignment, version, source or ref is not this row's: graded again.
    const stale = [
      assignment.id !== expected.assignment.id || assignment.version !== expected.assignment.version ? `assignment ${assignment.id} v${assignment.version}` : null,
      submission.source !== redactCredentials(expected.source) && submission.source !== '(hidden for blind review)' ? 'another source' : null,
      (submission.ref ?? null) !== expected.ref ? `ref ${submission.ref ?? 'none'}` : null,
    ].filter((why): why is string => why !== null);
    if (stale.length === 0) return read.value;
    const aside = `${file}.stale-${Date.now()}`;
    await rename(file, aside).catch(() => undefined);
    log.warn({ file, aside }, `grading again: the report there is for ${stale.join(', ')}`);
    return null;
  }
  if (read.kind === 'invalid') {
    const aside = `${file}.unreadable-${Date.now()}`;
    await rename(file, aside).catch(() => undefined);
    log.warn({ file, aside }, `grading again: ${read.message}`);
  }
  return null;
}

/**
 * Grades a roster: every row validated first; installs and checks of several submissions
 * at once (the pipeline serialises load probes); each report written atomically, so a
 * rerun skips complete, gradable reports and grades the rest. Ends with summary.md/.csv.
 */
export async function runBatch(options: BatchOptions, deps: { runtime: SandboxRuntime; logger: Logger }): Promise<SummaryRow[]> {
  const { rows, problems } = await readRoster(options.rosterFile);
  if (problems.length > 0 && !options.skipInvalid) {
    throw new UsageError(
      `roster ${options.rosterFile} has ${problems.length} bad row(s); fix them or pass --skip-invalid:\n${problems.map((p) => `  line ${p.line}: ${p.message}`).join('\n')}`,
    );
  }
  for (const problem of problems) deps.logger.warn({ line: problem.line }, `skipping roster row: ${problem.message}`);
  // Rows skipped with --skip-invalid still appear in the summary, saying why they were not graded.
  const skipped: SummaryRow[] = problems.map((problem) => ({ candidate: `(roster line ${problem.line})`, reportPath: '', report: null, problem: `not graded: ${problem.message}` }));
  await mkdir(options.outDir, { recursive: true });
  for (const row of rows) options.onEvent({ kind: 'queued', candidate: row.candidate });

  const summary = await pool(rows, options.concurrency, async (row: RosterRow): Promise<SummaryRow> => {
    const folder = folderFor(row.candidate);
    const dir = path.join(options.outDir, folder);
    const reportPath = `${folder}/report.md`;
    const existing = await completeReport(dir, deps.logger, { assignment: options.assignment.manifest, source: row.source, ref: row.ref ?? null });
    if (existing?.gradable) {
      options.onEvent({ kind: 'skipped', candidate: row.candidate, reason: 'report already complete' });
      return { candidate: row.candidate, reportPath, report: existing };
    }
    const started = performance.now();
    const elapsed = () => performance.now() - started;
    const log = deps.logger.child({ candidate: row.candidate });
    try {
      const report = await gradeSubmission(
        { source: row.source, ref: row.ref ?? null, assignment: options.assignment, deadline: row.deadline ?? null, overrides: pickOverrides(row) },
        { runtime: deps.runtime, logger: log, onPhase: (phase) => options.onEvent({ kind: 'phase', candidate: row.candidate, phase, elapsedMs: elapsed() }) },
      );
      // An interrupt cut this grading short: no report, so a rerun grades the row again.
      if (isShuttingDown()) return { candidate: row.candidate, reportPath, report: null, problem: 'interrupted' };
      // A repository that could not be fetched is the roster's problem (a typo, no access):
      // not graded, with why, rather than a report scoring a submission nobody saw.
      const fetch = report.phases.find((phase) => phase.name === 'fetch');
      if (fetch?.code === 'CLONE_FAILED') {
        options.onEvent({ kind: 'failed', candidate: row.candidate, elapsedMs: elapsed(), message: fetch.message });
        return { candidate: row.candidate, reportPath, report: null, problem: `not graded: ${fetch.message}` };
      }
      await writeReport(dir, report);
      options.onEvent({ kind: 'done', candidate: row.candidate, elapsedMs: elapsed(), score: `${report.score.points}/${report.score.max}`, gradable: report.gradable });
      return { candidate: row.candidate, reportPath, report };
    } catch (error) {
      log.error({ err: error }, 'grading failed');
      options.onEvent({ kind: 'failed', candidate: row.candidate, elapsedMs: elapsed(), message: errorMessage(error) });
      return { candidate: row.candidate, reportPath, report: null, problem: errorMessage(error) };
    }
  });

  const all = [...summary, ...skipped];
  await writeAtomic(path.join(options.outDir, 'summary.csv'), summaryCsv(all));
  await writeAtomic(path.join(options.outDir, 'summary.md'), summaryMarkdown(all, `${options.assignment.manifest.title} — batch`));
  return all;
}
