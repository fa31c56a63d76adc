import { z } from 'zod';
import { connectEngine } from '../../sandbox/engine.ts';
import { loadAssignment } from '../assignment/load-assignment.ts';
import { renderMatrix, validateAssignment } from '../assignment/validate-assignment.ts';
import { UsageError, formatZodIssues } from '../errors.ts';
import { createLogger } from '../logger.ts';

const validateOptionsSchema = z.object({
  path: z.string().min(1),
  concurrency: z.coerce.number().int().min(1).max(16).default(3),
});

/** `grader assignment validate`: schema, then the reference/mutant/variant matrix. Exit 1 when the proof fails. */
export async function assignmentValidateCommand(raw: unknown): Promise<number> {
  const parsed = validateOptionsSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(formatZodIssues(parsed.error, 'assignment validate'));
  const assignment = await loadAssignment(parsed.data.path);
  process.stderr.write(`${assignment.manifest.id} v${assignment.manifest.version}: manifest valid; grading the reference, mutants and variants…\n`);
  const rows = await validateAssignment(assignment, { docker: connectEngine(), logger: createLogger() }, { concurrency: parsed.data.concurrency });
  process.stdout.write(`${renderMatrix(rows)}\n`);
  const broken = rows.filter((row) => row.problems.length > 0);
  process.stdout.write(broken.length === 0 ? `proof holds: ${rows.length} subjects\n` : `proof fails for ${broken.map((row) => row.subject.id).join(', ')}\n`);
  return broken.length === 0 ? 0 : 1;
}
