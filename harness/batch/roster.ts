import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { isMap, isNode, isSeq, parseDocument } from 'yaml';
import { z } from 'zod';
import { UsageError } from '../../core/errors.ts';
import { submissionOverridesSchema } from '../plan/submission-overrides.ts';
import { assertCloneableUrl, isGitUrl } from '../source/resolve-source.ts';

export const rosterRowSchema = z.object({
  /** An alias, not necessarily a name: it names the report folder. */
  candidate: z.string().trim().min(1).max(80).regex(/^[\p{L}\p{N}_][\p{L}\p{M}\p{N}_ .@+-]*$/u, 'letters (any alphabet), digits, space and ._@+- only'),
  source: z.string().trim().min(1),
  ref: z.string().trim().min(1).optional(),
  deadline: z.iso.datetime({ offset: true }).optional(),
  ...submissionOverridesSchema.shape,
});
export type RosterRow = z.infer<typeof rosterRowSchema>;

export interface RosterProblem {
  line: number;
  message: string;
}

function refusedUrl(source: string): string | null {
  try {
    assertCloneableUrl(source);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

async function missingFolder(source: string): Promise<string | null> {
  const info = await stat(source).catch(() => null);
  if (!info) return `source not found: ${source}`;
  return info.isDirectory() ? null : `source is not a folder: ${source}`;
}

/** CSV (with a header row) or YAML (a list, or `{ candidates: [...] }`), chosen by extension. */
export async function readRoster(file: string): Promise<{ rows: Array<RosterRow & { line: number }>; problems: RosterProblem[] }> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read roster ${file}: ${error.code ?? error.message}`);
  });
  const raw: Array<{ line: number; value: unknown }> = [];
  if (/\.ya?ml$/i.test(file)) {
    const doc = parseDocument(text);
    const first = doc.errors[0];
    if (first) throw new UsageError(`${file}: not valid YAML: ${first.message.split('\n')[0]}`);
    const root = doc.contents;
    const list = isSeq(root) ? root : isMap(root) ? root.get('candidates', true) : null;
    if (!isSeq(list)) throw new UsageError(`${file}: expected a list of candidates`);
    // Each entry's own line in the file (its first character), so a problem points at it.
    const lineAt = (offset: number) => text.slice(0, offset).split('\n').length;
    for (const item of list.items) {
      const node = item as { range?: [number, number, number] | null; toJSON?: () => unknown };
      raw.push({ line: node.range ? lineAt(node.range[0]) : 0, value: isNode(item) ? item.toJSON() : item });
    }
  } else {
    let records: Array<Record<string, string>>;
    try {
      records = parseCsv(text, { columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()), skip_empty_lines: true, trim: true, relax_column_count: false });
    } catch (error) {
      throw new UsageError(`${file}: not valid CSV: ${error instanceof Error ? error.message : String(error)}`);
    }
    // Line 1 is the header.
    records.forEach((record, index) => raw.push({ line: index + 2, value: Object.fromEntries(Object.entries(record).filter(([, v]) => v !== '')) }));
  }
  const rows: Array<RosterRow & { line: number }> = [];
  const problems: RosterProblem[] = [];
  const seen = new Map<string, number>();
  for (const { line, value } of raw) {
    const parsed = rosterRowSchema.safeParse(value);
    if (!parsed.success) {
      problems.push({ line, message: parsed.error.issues.map((issue) => `${issue.path.join('.') || 'row'}: ${issue.message}`).join('; ') });
      continue;
    }
    const key = parsed.data.candidate.toLowerCase();
    if (seen.has(key)) {
      problems.push({ line, message: `candidate "${parsed.data.candidate}" already appears on line ${seen.get(key)}` });
      continue;
    }
    seen.set(key, line);
    const url = isGitUrl(parsed.data.source);
    const source = url ? parsed.data.source : path.resolve(path.dirname(file), parsed.data.source);
    // A source that cannot be graded is the roster's mistake, found before any grading
    // starts — never a report that scores an empty submission.
    const unusable = url ? refusedUrl(source) : await missingFolder(source);
    if (unusable) {
      problems.push({ line, message: `candidate "${parsed.data.candidate}": ${unusable}` });
      continue;
    }
    rows.push({ ...parsed.data, source, line });
  }
  if (raw.length === 0) problems.push({ line: 1, message: 'the roster lists no candidates' });
  return { rows, problems };
}
