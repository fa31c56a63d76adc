import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { reportSchema, type Report } from './report-schema.ts';
import type { Renderer } from './renderer.ts';
import { jsonRenderer } from './renderers/json-renderer.ts';
import { markdownRenderer } from './renderers/markdown-renderer.ts';

export const DEFAULT_RENDERERS: readonly Renderer[] = [jsonRenderer, markdownRenderer];

/** Writes via a temp file and rename, so a reader never sees half a report. */
export async function writeAtomic(file: string, content: string): Promise<void> {
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  await writeFile(temp, content, 'utf8');
  await rename(temp, file);
}

/**
 * Validates the report and writes one file per renderer. report.json is written last, so
 * its presence means the whole set is complete.
 */
export async function writeReport(dir: string, report: Report, renderers: readonly Renderer[] = DEFAULT_RENDERERS): Promise<string[]> {
  const valid = reportSchema.parse(report);
  await mkdir(dir, { recursive: true });
  const ordered = [...renderers.filter((r) => r.format !== 'json'), ...renderers.filter((r) => r.format === 'json')];
  const written: string[] = [];
  for (const renderer of ordered) {
    const file = path.join(dir, renderer.fileName);
    await writeAtomic(file, renderer.render(valid));
    written.push(file);
  }
  return written;
}
