import { access, constants, readdir, rename, rm, rmdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../core/errors.ts';
import { makeFolders } from '../make-folders.ts';
import { RENDERERS } from '../../reports/write-report.ts';

export interface PreparedOutDir {
  dir: string;
  /** Where an earlier report was moved, with its reviews, when --force replaced it. */
  movedAside: string | null;
  /**
   * Removes the folder again if this run created it and left nothing in it but its log (an
   * operator error stopped the grading), and puts a report moved aside back in its place.
   */
  discardIfUnused: () => Promise<void>;
}

/** What a report folder holds: the renderers' files, the log, the reviews and their scorecard. */
const REPORT_ENTRIES = new Set([...RENDERERS.map((renderer) => renderer.fileName), 'grader.log', 'reviews', 'scorecard.md']);

const stamp = () => new Date().toISOString().replace(/[:.]/g, '-').replace(/Z$/, '');

/**
 * The folder a report will be written to, checked before any grading starts: never a file,
 * never an unwritable place, and never an earlier report silently overwritten — with
 * `force`, the earlier folder (report and reviews together) is moved aside first.
 */
export async function prepareOutDir(dir: string, force: boolean): Promise<PreparedOutDir> {
  const info = await stat(dir).catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' ? null : Promise.reject(error))).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`--out ${dir}: cannot be used (${error.code ?? error.message})`);
  });
  let movedAside: string | null = null;
  let created = info === null;
  if (info && !info.isDirectory()) throw new UsageError(`--out ${dir} is a file, not a folder: name a folder for the report`);
  if (info) {
    const entries = await readdir(dir).catch(() => [] as string[]);
    if (entries.includes('report.json')) {
      if (!force) throw new UsageError(`--out ${dir} already holds a report: pass --force to replace it (the old one is kept beside it, reviews included), or choose another folder`);
      // --force moves a report folder, never a folder that holds anything else (--out . in a project).
      const foreign = entries.filter((name) => !REPORT_ENTRIES.has(name) && !name.startsWith('.report.') && !name.includes('.unreadable-'));
      if (foreign.length > 0) {
        throw new UsageError(`--out ${dir} holds files that are not a report (${foreign.slice(0, 3).join(', ')}${foreign.length > 3 ? ', …' : ''}): --force only replaces a report folder; choose another folder`);
      }
      movedAside = `${dir.replace(/\/+$/, '')}.replaced-${stamp()}`;
      await rename(dir, movedAside).catch((error: NodeJS.ErrnoException) => {
        throw new UsageError(`--out ${dir}: cannot move the old report aside to ${movedAside} (${error.code ?? error.message})`);
      });
      created = true;
    }
  }
  await makeFolders(dir).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`--out ${dir}: cannot create the folder (${error.code ?? error.message})`);
  });
  await access(dir, constants.W_OK).catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`--out ${dir}: the folder is not writable (${error.code ?? error.message})`);
  });
  return {
    dir,
    movedAside,
    discardIfUnused: async () => {
      if (!created) return;
      const left = await readdir(dir).catch(() => null);
      if (left === null || left.some((name) => name !== 'grader.log')) return;
      for (const name of left) await rm(path.join(dir, name), { force: true });
      await rmdir(dir).catch(() => undefined);
      if (movedAside) await rename(movedAside, dir).catch(() => undefined);
    },
  };
}
