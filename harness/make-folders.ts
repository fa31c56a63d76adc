import { mkdir, stat } from 'node:fs/promises';
import path from 'node:path';

/**
 * mkdir -p one level at a time: Node's recursive mkdir spins forever on some pseudo
 * filesystems (`/proc/nope/x` never settles), where a single level fails at once.
 */
export async function makeFolders(dir: string): Promise<void> {
  const missing: string[] = [];
  let at = path.resolve(dir);
  while (!(await stat(at).then(() => true, () => false))) {
    missing.unshift(at);
    const parent = path.dirname(at);
    if (parent === at) break;
    at = parent;
  }
  for (const folder of missing) await mkdir(folder);
}
