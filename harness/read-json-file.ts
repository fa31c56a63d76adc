import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { formatZodIssues } from '../core/errors.ts';

export type ReadOutcome<T> = { kind: 'missing' } | { kind: 'invalid'; message: string } | { kind: 'ok'; value: T };

/**
 * A JSON file the harness wrote earlier (a report, a review), read back through its schema.
 * A missing file, a truncated or hand-edited one, and one of another shape are told apart
 * so the caller can say which in one line, naming the file.
 */
export async function readJsonFile<T>(file: string, schema: z.ZodType<T>): Promise<ReadOutcome<T>> {
  const text = await readFile(file, 'utf8').catch(() => null);
  if (text === null) return { kind: 'missing' };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    return { kind: 'invalid', message: `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)})` };
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) return { kind: 'invalid', message: formatZodIssues(parsed.error, file) };
  return { kind: 'ok', value: parsed.data };
}
