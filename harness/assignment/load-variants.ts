import path from 'node:path';
import { z } from 'zod';
import { UsageError, formatZodIssues } from '../../core/errors.ts';
import { manifestSchema } from '../../core/manifest.ts';
import type { Assignment } from './load-assignment.ts';
import { readEntries } from './read-entries.ts';

/** A correct alternative solution: a folder with its own code and a `variant.yaml`. */
const variantSchema = z.object({
  description: z.string().min(1),
  /** Manifest settings this design needs (e.g. pagination.nextFrom: link-header). */
  manifest: z.record(z.string(), z.unknown()).default({}),
});

export function deepMerge(base: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = { ...(base && typeof base === 'object' ? (base as Record<string, unknown>) : {}) };
  for (const [key, value] of Object.entries(patch)) out[key] = deepMerge(out[key], value);
  return out;
}

/** The assignment's variants, each with the manifest it is graded under (the assignment's, with its own settings merged in). */
export async function loadVariants(assignment: Assignment): Promise<Array<{ id: string; dir: string; description: string; assignment: Assignment }>> {
  const entries = await readEntries(path.join(assignment.dir, 'variants'), 'variant.yaml', variantSchema);
  return entries.map((entry) => {
    const manifest = manifestSchema.safeParse(deepMerge(assignment.manifest, entry.data.manifest), { reportInput: true });
    if (!manifest.success) throw new UsageError(formatZodIssues(manifest.error, `${entry.dir}/variant.yaml (manifest)`));
    return { id: entry.name, dir: entry.dir, description: entry.data.description, assignment: { ...assignment, manifest: manifest.data } };
  });
}
