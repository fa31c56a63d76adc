import { appendFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { blindReport } from '../../reports/blind.ts';
import { markdownRenderer } from '../../reports/renderers/markdown-renderer.ts';
import { renderersFor, writeReport } from '../../reports/write-report.ts';
import { connectRuntime } from '../../sandbox/docker/docker-runtime.ts';
import { loadAssignment } from '../assignment/load-assignment.ts';
import { UsageError, formatZodIssues } from '../../core/errors.ts';
import { createLogger } from '../logger.ts';
import { gradeSubmission } from '../pipeline.ts';
import { pickOverrides } from '../plan/submission-overrides.ts';

/** The Action's inputs arrive as INPUT_* variables (set explicitly in action.yml). */
const actionEnvSchema = z.object({
  GITHUB_WORKSPACE: z.string().min(1, 'GITHUB_WORKSPACE is not set: run this inside GitHub Actions'),
  GITHUB_SHA: z.string().optional(),
  GITHUB_STEP_SUMMARY: z.string().optional(),
  GITHUB_OUTPUT: z.string().optional(),
  RUNNER_TEMP: z.string().optional(),
  INPUT_ASSIGNMENT: z.string().optional(),
  INPUT_FORMATS: z.string().default('json,md'),
  INPUT_FAIL_UNDER: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? null : Number(value)))
    .refine((value) => value === null || (Number.isFinite(value) && value >= 0 && value <= 100), 'fail-under is a percentage 0..100'),
  INPUT_BLIND: z
    .string()
    .optional()
    .transform((value) => value === 'true'),
  INPUT_DIR: z.string().optional(),
  INPUT_START: z.string().optional(),
  INPUT_BUILD: z.string().optional(),
  INPUT_TOOLCHAIN: z.string().optional(),
  INPUT_IMAGE: z.string().optional(),
});

/** Workflow-command text must not carry newlines or % unescaped. */
const escapeData = (text: string) => text.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');

/**
 * `grader action`: grades the checked-out repository at GITHUB_SHA, puts report.md in the
 * job summary, sets outputs, annotates the run, and fails only on the harness failing or
 * the score being under fail-under.
 */
export async function actionCommand(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = actionEnvSchema.safeParse(env);
  if (!parsed.success) throw new UsageError(formatZodIssues(parsed.error, 'action'));
  const input = parsed.data;
  const renderers = renderersFor(input.INPUT_FORMATS);

  const assignment = await loadAssignment(input.INPUT_ASSIGNMENT || undefined);
  const outDir = path.join(input.RUNNER_TEMP ?? input.GITHUB_WORKSPACE, 'takehome-grader-report');
  const logger = createLogger({ file: path.join(outDir, 'grader.log') });
  const overrides = pickOverrides({ dir: input.INPUT_DIR, start: input.INPUT_START, build: input.INPUT_BUILD, toolchain: input.INPUT_TOOLCHAIN, image: input.INPUT_IMAGE });
  let report = await gradeSubmission({ source: input.GITHUB_WORKSPACE, ref: null, assignment, overrides }, { runtime: connectRuntime(), logger });
  if (input.INPUT_BLIND) report = blindReport(report, 'candidate');
  await writeReport(outDir, report, renderers);

  const percent = (100 * report.score.points) / Math.max(1, report.score.max);
  if (input.GITHUB_STEP_SUMMARY) await appendFile(input.GITHUB_STEP_SUMMARY, markdownRenderer.render(report));
  if (input.GITHUB_OUTPUT) {
    const outputs = { score: report.score.points, 'max-score': report.score.max, gradable: report.gradable, 'report-dir': outDir };
    await appendFile(input.GITHUB_OUTPUT, Object.entries(outputs).map(([key, value]) => `${key}=${value}\n`).join(''));
  }
  if (input.GITHUB_SHA && report.submission.commit && report.submission.commit !== input.GITHUB_SHA) {
    process.stdout.write(`::warning title=takehome-grader::${escapeData(`graded ${report.submission.commit}, but GITHUB_SHA is ${input.GITHUB_SHA}`)}\n`);
  }
  process.stdout.write(`::notice title=takehome-grader::${escapeData(`${assignment.manifest.id}: ${report.score.points}/${report.score.max} points (${percent.toFixed(1)}%)`)}\n`);
  if (!report.gradable) {
    process.stdout.write(`::error title=takehome-grader::${escapeData('the harness failed; the report is not gradable — see the job summary')}\n`);
    return 1;
  }
  if (input.INPUT_FAIL_UNDER !== null && percent < input.INPUT_FAIL_UNDER) {
    process.stdout.write(`::error title=takehome-grader::${escapeData(`score ${percent.toFixed(1)}% is under fail-under ${input.INPUT_FAIL_UNDER}%`)}\n`);
    return 1;
  }
  return 0;
}
