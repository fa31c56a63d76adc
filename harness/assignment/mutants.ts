import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { z } from 'zod';
import { UsageError } from '../../core/errors.ts';
import type { Assignment } from './load-assignment.ts';
import { readEntries } from './read-entries.ts';

/**
 * A mutant is the reference with one planted flaw, described as exact text edits so it
 * cannot drift from the reference unnoticed: an edit whose `find` text does not occur
 * exactly once is an error, not a silently different mutant.
 */
export const mutantSchema = z.object({
  description: z.string().min(1),
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

/** Applies a mutant's edits to text in memory; throws when an edit's text does not occur exactly once. */
async function applyEdits(root: string, mutant: Mutant, write: boolean): Promise<void> {
  for (const edit of mutant.edits) {
    const file = path.join(root, edit.file);
    const text = await readFile(file, 'utf8').catch(() => {
      throw new UsageError(`mutant ${mutant.id}: ${edit.file} does not exist in the reference`);
    });
    const occurrences = text.split(edit.find).length - 1;
    if (occurrences !== 1) throw new UsageError(`mutant ${mutant.id}: an edit's text occurs ${occurrences} times in ${edit.file}, expected once`);
    if (write) await writeFile(file, text.replace(edit.find, () => edit.replace));
  }
}

/** Checks that every mutant applies to the reference, before anything is graded. */
export async function checkMutants(assignment: Assignment, mutants: readonly Mutant[]): Promise<void> {
  const reference = path.join(assignment.dir, assignment.manifest.reference);
  for (const mutant of mutants) await applyEdits(reference, mutant, false);
}

/** Copies the reference into a temp dir and applies the mutant's edits. */
export async function materialiseMutant(assignment: Assignment, mutant: Mutant): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const base = await mkdtemp(path.join(tmpdir(), `tg-mutant-${mutant.id}-`));
  const dir = path.join(base, mutant.id);
  await cp(path.join(assignment.dir, assignment.manifest.reference), dir, { recursive: true });
  await applyEdits(dir, mutant, true).catch(async (error: unknown) => {
    await rm(base, { recursive: true, force: true });
    throw error;
  });
  return { dir, cleanup: () => rm(base, { recursive: true, force: true }) };
}
