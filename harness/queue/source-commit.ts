import { createHash } from 'node:crypto';
import { readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../core/errors.ts';
import { redactCredentials } from '../../core/redact.ts';
import { isGitUrl, safeGit } from '../source/resolve-source.ts';

/**
 * The commit a job will grade, known before it is queued so the job id can name it: a
 * URL's ref (or default branch) as the remote has it now, a local repository's HEAD, or
 * for a plain folder a fingerprint of its files (path, size, modification time), which
 * changes when any file does. node_modules and .git are left out, as the copy into the
 * sandbox leaves them out.
 */
export async function sourceCommit(source: string, ref: string | null): Promise<string> {
  if (isGitUrl(source)) {
    if (ref !== null && /^[0-9a-f]{40}$/i.test(ref)) return ref.toLowerCase();
    const listed = await safeGit(undefined, 30_000)
      .listRemote([source, ref ?? 'HEAD'])
      .catch((error: unknown) => {
        throw new UsageError(`${redactCredentials(source)}: cannot reach the repository (${redactCredentials(error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error))})`);
      });
    const sha = /^([0-9a-f]{40})\s/m.exec(listed)?.[1];
    if (!sha) throw new UsageError(`${redactCredentials(source)}: no ${ref ?? 'HEAD'} there`);
    return sha;
  }
  const root = path.resolve(source);
  const isRepo = await stat(path.join(root, '.git')).then(() => true, () => false);
  if (isRepo) {
    const head = await safeGit(root).revparse(['HEAD']).then((sha) => sha.trim(), () => null);
    if (head) return head;
  }
  return `files:${await folderFingerprint(root)}`;
}

async function folderFingerprint(root: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const entry of entries) {
      if (entry.name === 'node_modules' || entry.name === '.git') continue;
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else {
        const info = await stat(full).catch(() => null);
        if (info) hash.update(`${path.relative(root, full)}\0${info.size}\0${Math.trunc(info.mtimeMs)}\n`);
      }
    }
  };
  await walk(root);
  return hash.digest('hex').slice(0, 16);
}
