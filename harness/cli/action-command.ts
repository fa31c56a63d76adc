import { appendFile, readFile, realpath, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { blindReport } from '../../reports/blind.ts';
import { markdownRenderer } from '../../reports/renderers/markdown-renderer.ts';
import { feedbackRenderer } from '../../reports/renderers/feedback-renderer.ts';
import { classroomRenderer } from '../../reports/renderers/classroom-renderer.ts';
import { renderersFor, writeReport, RENDERERS } from '../../reports/write-report.ts';
import { connectRuntime } from '../../sandbox/docker/docker-runtime.ts';
import { loadAssignment } from '../assignment/load-assignment.ts';
import { UsageError, formatZodIssues } from '../../core/errors.ts';
import type { Report } from '../../core/report.ts';
import { createLogger } from '../logger.ts';
import { gradeSubmission } from '../pipeline.ts';
import { pickOverrides } from '../plan/submission-overrides.ts';
import { summaryTable } from './summary-table.ts';

const SUMMARY_KINDS = ['scores', 'feedback', 'full'] as const;

/** The Action's inputs arrive as INPUT_* variables (set explicitly in action.yml). */
const actionEnvSchema = z.object({
  GITHUB_WORKSPACE: z.string({ error: 'GITHUB_WORKSPACE is not set: run this inside GitHub Actions' }).min(1, 'GITHUB_WORKSPACE is not set: run this inside GitHub Actions'),
  GITHUB_STEP_SUMMARY: z.string().optional(),
  GITHUB_OUTPUT: z.string().optional(),
  RUNNER_TEMP: z.string().optional(),
  INPUT_CANDIDATE_PATH: z.string().trim().default('candidate'),
  INPUT_CANDIDATE: z.string().trim().optional(),
  INPUT_EXPECTED_SHA: z.string().trim().regex(/^([0-9a-f]{7,40})?$/i, 'expected-sha is a commit SHA').optional(),
  INPUT_ASSIGNMENT: z.string().optional(),
  INPUT_FORMATS: z.string().default('json,md'),
  INPUT_SUMMARY: z.enum(SUMMARY_KINDS, { error: `summary is one of ${SUMMARY_KINDS.join(', ')}` }).default('scores'),
  INPUT_FAIL_UNDER: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? null : Number(value)))
    .refine((value) => value === null || (Number.isFinite(value) && value >= 0 && value <= 100), 'fail-under is a percentage 0..100'),
  INPUT_BLIND: z
    .enum(['true', 'false', ''], { error: 'blind is "true" or "false"' })
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

/** Artifact names allow letters, digits and - _ . ; they carry the candidate and the commit so two gradings in one workflow never collide. */
export function artifactName(candidate: string, commit: string | null): string {
  const slug = candidate.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'candidate';
  return `takehome-grader-${slug}${commit ? `-${commit.slice(0, 12)}` : ''}`;
}

/**
 * The candidate's checkout: a folder inside the grading repository's workspace, never the
 * workspace itself. Grading the repository the workflow runs in would put the hidden checks
 * on a runner the candidate's workflow controls.
 */
async function candidateFolder(workspace: string, relative: string): Promise<string> {
  const refuse = () =>
    new UsageError(
      `candidate-path "${relative}" must name a folder inside the grading repository's workspace where the candidate's repository was checked out (e.g. actions/checkout with path: candidate); the Action never grades the repository its own workflow runs in`,
    );
  const lexical = path.relative(workspace, path.resolve(workspace, relative));
  if (lexical === '' || lexical.startsWith('..') || path.isAbsolute(lexical)) throw refuse();
  // Symlinks resolved on both sides: a link to "." or "/" inside the workspace is no candidate's checkout.
  const root = await realpath(workspace).catch(() => workspace);
  const folder = await realpath(path.resolve(workspace, relative)).catch(() => null);
  if (folder === null) throw new UsageError(`candidate-path "${relative}": no such folder in the workspace (was the candidate's repository checked out there?)`);
  const inside = path.relative(root, folder);
  if (inside === '' || inside.startsWith('..') || path.isAbsolute(inside)) throw refuse();
  if (!(await stat(folder)).isDirectory()) throw new UsageError(`candidate-path "${relative}" is a file, not the candidate's checkout folder`);
  return folder;
}

/** What goes into the job summary: area scores by default, the candidate's feedback, or the full report. */
function summaryText(report: Report, kind: (typeof SUMMARY_KINDS)[number]): string {
  if (kind === 'full') return markdownRenderer.render(report);
  if (kind === 'feedback') return feedbackRenderer.render(report);
  const table = summaryTable(report).split('\n');
  // Scores, phases and areas only: the per-check lines (hidden check names, messages) stay in the artifact.
  const cut = table.findIndex((line) => line.startsWith('check '));
  return `## ${report.assignment.title} — ${report.submission.name}\n\n\`\`\`\n${(cut >= 0 ? table.slice(0, cut) : table).join('\n').trimEnd()}\n\`\`\`\n\nThe full report is in the artifact.\n`;
}

/**
 * `grader action`: run by the hiring team's grading workflow (see docs/github-action.md),
 * grades the candidate's repository checked out at candidate-path, keeps every report
 * format the Action promises (feedback.md and classroom.json always), writes the summary
 * and outputs, and fails only on the harness failing or the score being under fail-under.
 */
export async function actionCommand(env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const parsed = actionEnvSchema.safeParse(env);
  if (!parsed.success) throw new UsageError(formatZodIssues(parsed.error, 'action'));
  const input = parsed.data;
  const workspace = path.resolve(input.GITHUB_WORKSPACE);
  const source = await candidateFolder(workspace, input.INPUT_CANDIDATE_PATH);
  const requested = renderersFor(input.INPUT_FORMATS);
  const renderers = RENDERERS.filter((renderer) => requested.includes(renderer) || renderer === feedbackRenderer || renderer === classroomRenderer);

  // A path is the grading repository's, not the candidate's checkout's.
  const spec = input.INPUT_ASSIGNMENT || undefined;
  const assignment = await loadAssignment(spec && /[/\\]|\.ya?ml$/.test(spec) ? path.resolve(workspace, spec) : spec);
  const outDir = path.join(input.RUNNER_TEMP ?? workspace, 'takehome-grader-report');
  // The Action's own folder: an earlier run's files (other formats, another candidate) must not sit beside this report.
  await rm(outDir, { recursive: true, force: true });
  const logger = createLogger({ file: path.join(outDir, 'grader.log') });
  const overrides = pickOverrides({ dir: input.INPUT_DIR, start: input.INPUT_START, build: input.INPUT_BUILD, toolchain: input.INPUT_TOOLCHAIN, image: input.INPUT_IMAGE });
  let report = await gradeSubmission({ source, ref: null, assignment, overrides }, { runtime: connectRuntime(), logger });
  const candidate = input.INPUT_CANDIDATE || report.submission.name;
  if (input.INPUT_BLIND) report = blindReport(report, 'candidate');
  await writeReport(outDir, report, renderers);

  const percent = (100 * report.score.points) / Math.max(1, report.score.max);
  if (input.GITHUB_STEP_SUMMARY) await appendFile(input.GITHUB_STEP_SUMMARY, summaryText(report, input.INPUT_SUMMARY));
  if (input.GITHUB_OUTPUT) {
    const classroom = await readFile(path.join(outDir, classroomRenderer.fileName), 'utf8');
    const outputs = {
      score: report.score.points,
      'max-score': report.score.max,
      gradable: report.gradable,
      'report-dir': outDir,
      'feedback-file': path.join(outDir, feedbackRenderer.fileName),
      'artifact-name': artifactName(input.INPUT_BLIND ? 'candidate' : candidate, report.submission.commit),
      // GitHub Classroom's reporter reads a runner's base64 JSON result from an output named result.
      result: Buffer.from(classroom).toString('base64'),
    };
    await appendFile(input.GITHUB_OUTPUT, Object.entries(outputs).map(([key, value]) => `${key}=${value}\n`).join(''));
  }
  const commit = report.submission.commit;
  if (input.INPUT_EXPECTED_SHA && commit && !commit.startsWith(input.INPUT_EXPECTED_SHA.toLowerCase())) {
    process.stdout.write(`::warning title=takehome-grader::${escapeData(`graded ${commit}, but expected-sha is ${input.INPUT_EXPECTED_SHA}: the checkout is not the pushed commit`)}\n`);
  }
  if (input.INPUT_EXPECTED_SHA && !commit) {
    process.stdout.write(`::warning title=takehome-grader::${escapeData(`expected-sha ${input.INPUT_EXPECTED_SHA} could not be checked: the checkout has no git commit`)}\n`);
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
