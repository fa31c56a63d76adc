import { mkdir, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../core/errors.ts';
import { reportSchema, type Report } from '../core/report.ts';
import type { Renderer } from './renderer.ts';
import { classroomRenderer } from './renderers/classroom-renderer.ts';
import { feedbackRenderer } from './renderers/feedback-renderer.ts';
import { gradescopeRenderer } from './renderers/gradescope-renderer.ts';
import { htmlRenderer } from './renderers/html-renderer.ts';
import { jsonRenderer } from './renderers/json-renderer.ts';
import { junitRenderer } from './renderers/junit-renderer.ts';
import { markdownRenderer } from './renderers/markdown-renderer.ts';

/** Every output format, by the name `--format` takes. */
export const RENDERERS: readonly Renderer[] = [jsonRenderer, markdownRenderer, htmlRenderer, junitRenderer, gradescopeRenderer, feedbackRenderer, classroomRenderer];
export const DEFAULT_RENDERERS: readonly Renderer[] = [jsonRenderer, markdownRenderer, htmlRenderer];

/** Renderers for a comma-separated list of format names; json is always included. */
export function renderersFor(formats: string): Renderer[] {
  const names = formats.split(',').map((name) => name.trim()).filter(Boolean);
  if (names.length === 0) throw new UsageError(`no report format given (available: ${RENDERERS.map((r) => r.format).join(', ')})`);
  const unknown = names.filter((name) => !RENDERERS.some((renderer) => renderer.format === name));
  if (unknown.length > 0) throw new UsageError(`unknown report format(s): ${unknown.join(', ')} (available: ${RENDERERS.map((r) => r.format).join(', ')})`);
  return RENDERERS.filter((renderer) => renderer.format === 'json' || names.includes(renderer.format));
}

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
