import { lstat, readdir } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { create as createTar } from 'tar';

export interface PackLimits {
  maxFiles: number;
  maxBytes: number;
  maxDepth: number;
}

export const DEFAULT_PACK_LIMITS: PackLimits = {
  maxFiles: 20_000,
  maxBytes: 200 * 1024 * 1024,
  maxDepth: 32,
};

export interface PackPlan {
  /** Relative paths of regular files and directories, in walk order. */
  entries: string[];
  files: number;
  bytes: number;
  /** What was left out and why, e.g. "link -> /etc/passwd: symlink". */
  dropped: string[];
}

export class PackLimitError extends Error {
  override name = 'PackLimitError';
}

export interface PackOptions {
  limits?: PackLimits;
  /** Top-level names never copied (what the toolchain's install recreates, e.g. node_modules). */
  ignoreTopLevel?: readonly string[];
}

/**
 * Decides what crosses into the sandbox: regular files and directories only. Symlinks,
 * hard links, devices and sockets stay behind, so nothing the candidate controls can make
 * the copy read outside the submission (the Judge0 symlink escapes came from following
 * such entries on the host).
 */
export async function planPack(root: string, options: PackOptions = {}): Promise<PackPlan> {
  const limits = options.limits ?? DEFAULT_PACK_LIMITS;
  const ignored = new Set(options.ignoreTopLevel ?? []);
  // Never copied: git internals (hooks, config) at any depth, and the top-level names the
  // caller ignores. '.' comes first so the prefix directory itself has an owner.
  const plan: PackPlan = { entries: ['.'], files: 0, bytes: 0, dropped: [] };
  const walk = async (relative: string, depth: number): Promise<void> => {
    if (depth > limits.maxDepth) throw new PackLimitError(`directory nesting exceeds ${limits.maxDepth} levels at ${relative}`);
    const names = (await readdir(path.join(root, relative))).sort();
    for (const name of names) {
      const rel = relative ? `${relative}/${name}` : name;
      if (name === '.git' || (depth === 0 && ignored.has(name))) continue;
      const info = await lstat(path.join(root, rel));
      if (info.isDirectory()) {
        plan.entries.push(rel);
        await walk(rel, depth + 1);
      } else if (info.isFile()) {
        if (info.nlink > 1) {
          plan.dropped.push(`${rel}: hard link`);
          continue;
        }
        plan.files += 1;
        plan.bytes += info.size;
        if (plan.files > limits.maxFiles) throw new PackLimitError(`more than ${limits.maxFiles} files`);
        if (plan.bytes > limits.maxBytes) {
          throw new PackLimitError(`more than ${Math.round(limits.maxBytes / 1024 / 1024)} MiB of files`);
        }
        plan.entries.push(rel);
      } else {
        plan.dropped.push(`${rel}: ${info.isSymbolicLink() ? 'symlink' : 'special file'}`);
      }
    }
  };
  await walk('', 0);
  return plan;
}

export interface TarOwner {
  uid: number;
  gid: number;
}

/**
 * An uncompressed tar of the planned entries under `prefix/`, owned by `owner` (Docker
 * extracts with the header's ids), with setuid/setgid/sticky bits cleared.
 */
export function packPlan(root: string, plan: PackPlan, prefix: string, owner: TarOwner): Readable {
  return createTar(
    {
      cwd: root,
      prefix,
      noDirRecurse: true,
      portable: false,
      // Second line of defence: the plan already excluded everything but files and dirs.
      filter: (_path, stat) => ('isFile' in stat ? stat.isFile() || stat.isDirectory() : false),
      onWriteEntry: (entry) => {
        if (entry.stat) {
          entry.stat.uid = owner.uid;
          entry.stat.gid = owner.gid;
          entry.stat.mode &= ~0o7000;
        }
      },
    },
    plan.entries,
  ) as unknown as Readable;
}
