import { stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { blindReport } from '../../reports/blind.ts';
import { renderersFor, writeReport } from '../../reports/write-report.ts';
import { connectRuntime } from '../../sandbox/docker/docker-runtime.ts';
import { loadAssignment } from '../assignment/load-assignment.ts';
import { UsageError, formatZodIssues } from '../../core/errors.ts';
import { createLogger } from '../logger.ts';
import { pickOverrides, submissionOverridesSchema } from '../plan/submission-overrides.ts';
import { gradeSubmission } from '../pipeline.ts';
import { assertCloneableUrl, assertSafeArguments, isGitUrl } from '../source/resolve-source.ts';
import { prepareOutDir } from './out-dir.ts';
import { isShuttingDown } from '../shutdown.ts';
import { redactCredentials } from '../../core/redact.ts';
import { phaseProgress } from './phase-progress.ts';
import { painter, wantsColour } from './terminal-style.ts';
import { summaryTable } from './summary-table.ts';

export const gradeOptionsSchema = z.object({
  source: z.string().trim().min(1, 'a source (directory or git URL) is required'),
  assignment: z.string().min(1).optional(),
  ref: z.string().min(1).optional(),
  out: z.string().min(1).optional(),
  /** Replace a report already in --out (the old one is moved aside, reviews included). */
  force: z.boolean().default(false),
  json: z.boolean().default(false),
  format: z.string().default('json,md,html'),
  /** commander's --no-color: false when given. */
  color: z.boolean().default(true),
  /** Blind review: replace name and source with this alias in every output. */
  blind: z.string().min(1).max(80).optional(),
  ...submissionOverridesSchema.shape,
});

function timestamp(date: Date): string {
  return date.toISOString().replace(/[:.]/g, '-').replace(/Z$/, '');
}

/** `grader grade`: returns the process exit code (0 graded, 1 harness failure, 2 bad input). */
export async function gradeCommand(raw: unknown): Promise<number> {
  const parsed = gradeOptionsSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(formatZodIssues(parsed.error, 'grade'));
  const options = parsed.data;
  assertSafeArguments(options.source, options.ref ?? null);
  // An unsupported URL is the operator's mistake: said now, with no report blaming anyone.
  assertCloneableUrl(options.source);
  const renderers = renderersFor(options.format);
  const assignment = await loadAssignment(options.assignment);
  if (!isGitUrl(options.source)) {
    const info = await stat(options.source).catch(() => null);
    if (!info) throw new UsageError(`source not found: ${redactCredentials(options.source)}`);
    if (!info.isDirectory()) throw new UsageError(`source is not a directory: ${redactCredentials(options.source)}`);
    if (options.dir) {
      const app = await stat(path.join(options.source, options.dir)).catch(() => null);
      if (!app?.isDirectory()) throw new UsageError(`--dir ${options.dir}: no such folder in ${options.source}`);
    }
  }
  const name = path.basename(options.source.replace(/\/+$/, '').replace(/\.git$/, '')) || 'submission';
  const out = await prepareOutDir(path.resolve(options.out ?? path.join('grader-reports', `${name}-${timestamp(new Date())}`)), options.force);
  const outDir = out.dir;
  if (out.movedAside) process.stderr.write(`grader: the earlier report in ${outDir} was moved to ${out.movedAside}\n`);
  const logger = createLogger({ file: path.join(outDir, 'grader.log') });
  const colour = wantsColour(process.stdout, { noColor: !options.color });
  // A live line per phase on a terminal; nothing on CI or with --json, where the result is the output.
  const progress = phaseProgress(process.stderr, process.stderr.isTTY === true && !options.json && !process.env.CI, painter(wantsColour(process.stderr, { noColor: !options.color })));
  let graded;
  try {
    graded = await gradeSubmission(
      { source: options.source, ref: options.ref ?? null, assignment, overrides: pickOverrides(options) },
      { runtime: connectRuntime(), logger, onPhase: progress.onPhase },
    );
  } finally {
    progress.stop();
  }
  if (isShuttingDown()) {
    // Interrupted (Ctrl-C): the containers are being removed; a report of a grading cut
    // short would read as a harness failure and block a rerun into this folder.
    await out.discardIfUnused();
    return 130;
  }
  const fetch = graded.phases.find((phase) => phase.name === 'fetch');
  if (fetch?.code === 'CLONE_FAILED') {
    // The repository could not be fetched (a typo, no access, no network): the operator's
    // problem to fix, so no report scores a submission nobody saw.
    await out.discardIfUnused();
    process.stderr.write(`grader: ${fetch.message}\n`);
    return 2;
  }
  const report = options.blind ? blindReport(graded, options.blind) : graded;
  const files = await writeReport(outDir, report, renderers);

  if (options.json) process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
  else process.stdout.write(`${summaryTable(report, painter(colour))}\n\nreport: ${files.find((file) => file.endsWith('.md')) ?? files.at(-1)}\n`);

  return report.gradable ? 0 : 1;
}
