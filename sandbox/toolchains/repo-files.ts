import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import type { RepoFiles } from './toolchain.ts';

const MAX_READ = 1024 * 1024;

/** The files a pack plan took, readable from the host copy (never following a link out). */
export function repoFiles(root: string, entries: readonly string[]): RepoFiles {
  const files = new Set(entries);
  return {
    has: (file) => files.has(file),
    async read(file) {
      if (!files.has(file)) return null;
      const info = await stat(path.join(root, file)).catch(() => null);
      if (!info?.isFile() || info.size > MAX_READ) return null;
      return readFile(path.join(root, file), 'utf8');
    },
  };
}
