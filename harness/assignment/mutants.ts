import { cp, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { UsageError } from '../../core/errors.ts';
import type { Assignment } from './load-assignment.ts';
import { readEntries } from './read-entries.ts';

const innerFolder = z
  .string()
  .regex(/^[\w./-]+$/)
  .refine((folder) => !path.isAbsolute(folder) && !folder.split('/').includes('..'), 'a folder inside the assignment');

/**
 * A mutant is the reference (or the folder `base` names, e.g. a language variant) with one
 * planted flaw, described as exact text edits so it cannot drift from its base unnoticed:
 * an edit whose `find` text does not occur exactly once is an error, not a silently
 * different mutant.
 */
export const mutantSchema = z.object({
  description: z.string().min(1),
  /**
   * The folder inside the assignment the edits apply to, e.g. `variants/go-nethttp`;
   * the reference when absent. A variant's base is graded with that variant's manifest.
   */
  base: innerFolder.optional(),
  /** Check ids this flaw must fail; every other must-check must still pass. */
  mustFail: z.array(z.string()).min(1),
  edits: z
    .array(z.object({ file: z.string().regex(/^[\w./-]+$/).refine((f) => !f.split('/').includes('..')), find: z.string().min(1), replace: z.string() }))
    .min(1),
});
export type Mutant = z.infer<typeof mutantSchema> & { id: string };

export async function loadMutants(assignment: Assignment): Promise<Mutant[]> {
  const entries = await readEntries(path.join(assignment.dir, 'mutants'), 'mutant.yaml', mutantSchema);
  return entries.map((entry) => ({ id: entry.name, ...entry.data }));
}

/** The folder a mutant edits: its `base`, else the reference. */
export function mutantBase(assignment: Assignment, mutant: Mutant): string {
  return path.join(assignment.dir, mutant.base ?? assignment.manifest.reference);
}

/** Applies a mutant's edits to text in memory; throws when an edit's text does not occur exactly once. */
async function applyEdits(root: string, mutant: Mutant, write: boolean): Promise<void> {
  for (const edit of mutant.edits) {
    const file = path.join(root, edit.file);
    const text = await readFile(file, 'utf8').catch(() => {
      throw new UsageError(`mutant ${mutant.id}: ${edit.file} does not exist in ${mutant.base ?? 'the reference'}`);
    });
    const occurrences = text.split(edit.find).length - 1;
    if (occurrences !== 1) throw new UsageError(`mutant ${mutant.id}: an edit's text occurs ${occurrences} times in ${edit.file}, expected once`);
    if (write) await writeFile(file, text.replace(edit.find, () => edit.replace));
  }
}

/** Checks that every mutant applies to its base, before anything is graded. */
export async function checkMutants(assignment: Assignment, mutants: readonly Mutant[]): Promise<void> {
  for (const mutant of mutants) {
    const root = mutantBase(assignment, mutant);
    if (!(await stat(root).catch(() => null))?.isDirectory()) throw new UsageError(`mutant ${mutant.id}: base ${mutant.base ?? assignment.manifest.reference} is not a folder of ${assignment.dir}`);
    await applyEdits(root, mutant, false);
  }
}

/** Copies the mutant's base into a temp dir and applies its edits. */
export async function materialiseMutant(assignment: Assignment, mutant: Mutant): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const base = await mkdtemp(path.join(tmpdir(), `tg-mutant-${mutant.id}-`));
  const dir = path.join(base, mutant.id);
  await cp(mutantBase(assignment, mutant), dir, { recursive: true });
  await applyEdits(dir, mutant, true).catch(async (error: unknown) => {
    await rm(base, { recursive: true, force: true });
    throw error;
  });
  return { dir, cleanup: () => rm(base, { recursive: true, force: true }) };
}
