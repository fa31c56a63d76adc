import path from 'node:path';
import type { Logger } from 'pino';
import { z } from 'zod';
import type { Report } from '../../core/report.ts';
import type { SandboxRuntime } from '../../sandbox/runtime/sandbox-runtime.ts';
import { UsageError, formatZodIssues } from '../../core/errors.ts';
import { gradeSubmission } from '../pipeline.ts';
import { pool } from '../pool.ts';
import type { Assignment } from './load-assignment.ts';
import type { SharingMode } from '../plan/instance-runs.ts';
import { manifestSchema } from '../../core/manifest.ts';
import { checkMutants, loadMutants, materialiseMutant, mutantBase } from './mutants.ts';
import { deepMerge, loadVariants } from './load-variants.ts';

export interface Subject {
  kind: 'reference' | 'starter' | 'mutant' | 'variant';
  id: string;
  description: string;
  /** Checks that must fail (mutants); every other must-check must pass. */
  mustFail: string[];
}

export interface MatrixRow {
  subject: Subject;
  report: Report;
  /** What broke the proof for this row: a must-check that failed, a named check that passed. */
  problems: string[];
}



/** Compares a report with what its subject must show. */
export function judge(subject: Subject, report: Report): string[] {
  const problems: string[] = [];
  const failedPhase = report.phases.find((phase) => phase.status === 'failed' && phase.name !== 'checks');
  if (failedPhase) return [`${failedPhase.name} failed (${failedPhase.code}): ${failedPhase.message}`];
  // A checks phase the harness stopped explains every not-run cell after it: say why once.
  const checksPhase = report.phases.find((phase) => phase.name === 'checks' && phase.status === 'failed' && phase.blame === 'harness');
  if (checksPhase) problems.push(`checks phase stopped by the harness (${checksPhase.code}): ${checksPhase.message.slice(0, 500)}`);
  for (const id of subject.mustFail) {
    const check = report.checks.find((c) => c.id === id);
    if (!check) problems.push(`${id}: no such check in the report`);
    else if (check.status !== 'fail') problems.push(`${id}: expected fail, got ${check.status} (${check.message})`);
  }
  // A starter is broken by design: only the flaws it names are held against it.
  if (subject.kind === 'starter') return problems;
  // A flaw has consequences in its own area (a limiter that blocks the event loop also times
  // out under load): a mutant may fail more checks of the areas it names, never of another.
  const namedAreas = new Set(report.checks.filter((check) => subject.mustFail.includes(check.id)).map((check) => check.area));
  for (const check of report.checks) {
    if (check.tier !== 'must' || subject.mustFail.includes(check.id)) continue;
    if (subject.kind === 'mutant' && check.status === 'fail' && namedAreas.has(check.area)) continue;
    // skip: out of the score (not applicable to the declared API, or information only).
    if (check.status !== 'pass' && check.status !== 'skip') problems.push(`${check.id}: expected pass, got ${check.status} (${check.message})`);
  }
  return problems;
}

/**
 * The discrimination proof: the reference passes every must-check, the starter (if any)
 * fails each flaw it names, each mutant (of the reference, or of the variant its `base`
 * names) fails exactly what it names (and passes the other must-checks), each variant
 * passes every must-check. Gradings run through the real pipeline, `concurrency` at a time.
 */
export async function validateAssignment(
  assignment: Assignment,
  deps: { runtime: SandboxRuntime; logger: Logger },
  options: { concurrency?: number; only?: (subject: Subject) => boolean; onlyIds?: readonly string[]; manifestPatch?: Record<string, unknown>; sharing?: SharingMode; onStart?: (assignment: Assignment, subjects: number) => void } = {},
): Promise<MatrixRow[]> {
  if (options.manifestPatch) {
    const patched = manifestSchema.safeParse(deepMerge(assignment.manifest, options.manifestPatch));
    if (!patched.success) throw new UsageError(formatZodIssues(patched.error, 'manifest patch'));
    assignment = { ...assignment, manifest: patched.data };
  }
  const mutants = await loadMutants(assignment);
  // A mutant that no longer applies is found now, not after minutes of grading.
  await checkMutants(assignment, mutants);
  const variants = await loadVariants(assignment);
  type Job = { subject: Subject; prepare: () => Promise<{ source: string; assignment: Assignment; cleanup: () => Promise<void> }> };
  const jobs: Job[] = [
    {
      subject: { kind: 'reference' as const, id: 'reference', description: 'the reference solution', mustFail: [] as string[] },
      prepare: async () => ({ source: path.join(assignment.dir, assignment.manifest.reference), assignment, cleanup: async () => undefined }),
    },
    ...(assignment.manifest.starter
      ? [
          {
            subject: { kind: 'starter' as const, id: 'starter', description: 'the code the candidate starts from', mustFail: assignment.manifest.starter.mustFail },
            prepare: async () => ({ source: path.join(assignment.dir, assignment.manifest.starter?.dir ?? 'starter'), assignment, cleanup: async () => undefined }),
          },
        ]
      : []),
    ...mutants.map((mutant) => ({
      subject: { kind: 'mutant' as const, id: mutant.id, description: mutant.description, mustFail: mutant.mustFail },
      prepare: async () => {
        const { dir, cleanup } = await materialiseMutant(assignment, mutant);
        // A mutant of a variant is graded as that variant is (its manifest settings).
        const base = path.resolve(mutantBase(assignment, mutant));
        const variant = variants.find((candidate) => path.resolve(candidate.dir) === base);
        return { source: dir, assignment: variant?.assignment ?? assignment, cleanup };
      },
    })),
    ...variants.map((variant) => ({
      subject: { kind: 'variant' as const, id: variant.id, description: variant.description, mustFail: [] as string[] },
      prepare: async () => ({ source: variant.dir, assignment: variant.assignment, cleanup: async () => undefined }),
    })),
  ];
  if (options.onlyIds) {
    const known = new Set(jobs.map((job) => job.subject.id));
    const unknown = options.onlyIds.filter((id) => !known.has(id));
    if (options.onlyIds.length === 0) throw new UsageError(`--only names no subject (subjects: ${[...known].join(', ')})`);
    if (unknown.length > 0) throw new UsageError(`--only: no subject ${unknown.map((id) => `"${id}"`).join(', ')} in ${assignment.manifest.id} (subjects: ${[...known].join(', ')})`);
  }
  const chosen = jobs.filter((job) => (options.only?.(job.subject) ?? true) && (options.onlyIds?.includes(job.subject.id) ?? true));
  // Said only once every input is known to be good, so an error is never preceded by "valid".
  options.onStart?.(assignment, chosen.length);

  return pool(chosen, options.concurrency ?? 3, async (job) => {
    const prepared = await job.prepare();
    try {
      const report = await gradeSubmission({ source: prepared.source, ref: null, assignment: prepared.assignment, ...(options.sharing ? { sharing: options.sharing } : {}) }, deps);
      return { subject: job.subject, report, problems: judge(job.subject, report) };
    } finally {
      await prepared.cleanup();
    }
  });
}

/** The matrix as text: one row per subject, one column per must-check (and named checks). */
export function renderMatrix(rows: readonly MatrixRow[]): string {
  const first = rows[0];
  if (!first) return '(no subjects)';
  const named = new Set(rows.flatMap((row) => row.subject.mustFail));
  const columns = first.report.checks.filter((check) => check.tier === 'must' || named.has(check.id)).map((check) => check.id);
  const mark = (row: MatrixRow, id: string) => {
    const status = row.report.checks.find((check) => check.id === id)?.status;
    const expectedFail = row.subject.mustFail.includes(id);
    const symbol = status === 'pass' ? '✓' : status === 'fail' ? '✗' : status === 'skip' ? '-' : '!';
    return expectedFail ? `[${symbol}]` : ` ${symbol} `;
  };
  const width = Math.max(...rows.map((row) => `${row.subject.kind} ${row.subject.id}`.length));
  const lines = [
    'Columns (must-checks, and signal checks a mutant names); [x] marks a cell the subject must fail.',
    ...columns.map((id, index) => `  c${String(index + 1).padStart(2, '0')} ${id}`),
    '',
    `${''.padEnd(width)}  ${columns.map((_, index) => `c${String(index + 1).padStart(2, '0')}`).join(' ')}  verdict`,
  ];
  for (const row of rows) {
    const label = `${row.subject.kind} ${row.subject.id}`.padEnd(width);
    lines.push(`${label}  ${columns.map((id) => mark(row, id)).join(' ')}  ${row.problems.length === 0 ? 'OK' : 'PROOF FAILS'}`);
    for (const problem of row.problems) lines.push(`${''.padEnd(width)}    ✗ ${problem}`);
  }
  return lines.join('\n');
}
