import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import type { z } from 'zod';
import { UsageError, formatZodIssues } from '../../core/errors.ts';

/**
 * `<dir>/<name>/<fileName>` for every sub-folder that has one, validated by `schema`;
 * a folder without the file is not an entry, a file that does not validate is an error.
 */
export async function readEntries<S extends z.ZodType>(dir: string, fileName: string, schema: S): Promise<Array<{ name: string; dir: string; data: z.output<S> }>> {
  const names = await readdir(dir).catch(() => [] as string[]);
  const entries: Array<{ name: string; dir: string; data: z.output<S> }> = [];
  for (const name of names.sort()) {
    const file = path.join(dir, name, fileName);
    const text = await readFile(file, 'utf8').catch(() => null);
    if (text === null) continue;
    const parsed = schema.safeParse(parseYaml(text), { reportInput: true });
    if (!parsed.success) throw new UsageError(formatZodIssues(parsed.error, file));
    entries.push({ name, dir: path.join(dir, name), data: parsed.data });
  }
  return entries;
}
