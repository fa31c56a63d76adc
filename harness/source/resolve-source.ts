import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { UsageError } from '../../core/errors.ts';
import { redactCredentials } from '../../core/redact.ts';

export interface SubmissionSource {
  kind: 'directory' | 'git-repo' | 'git-url';
  /** As the user gave it (URL credentials removed). */
  display: string;
  /** A short name for report folders and summaries. */
  name: string;
  /** Directory whose files are graded. */
  root: string;
  ref: string | null;
  commit: string | null;
  /** Removes the clone, if one was made. */
  cleanup: () => Promise<void>;
}

/**
 * Config that keeps a clone from materialising links or accepting malformed objects.
 * simple-git itself refuses ext::, --upload-pack and protocol overrides; hooks are kept
 * out by cloning with an empty template directory.
 */
const SAFE_GIT_CONFIG = ['core.symlinks=false', 'transfer.fsckObjects=true', 'core.fsmonitor=false'];

export function isGitUrl(source: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(source) || /^[\w.-]+@[\w.-]+:/.test(source);
}

export const redactUrl = redactCredentials;

/** Only https:// and file:// git URLs are cloned: ssh needs keys the sandbox host should not lend, http and git:// are unauthenticated in transit. */
export function assertCloneableUrl(source: string): void {
  if (isGitUrl(source) && !/^(https|file):\/\//i.test(source)) {
    throw new UsageError(`refusing source "${redactUrl(source)}": only https:// (or file://) git URLs are accepted`);
  }
}

function nameFrom(source: string): string {
  const base = path.basename(source.replace(/\/+$/, '').replace(/\.git$/, ''));
  return base.normalize('NFC').replace(/[^\p{L}\p{M}\p{N}._-]/gu, '_').slice(0, 60) || 'submission';
}

/** A git client that runs nothing of the repository's: safe config, minimal environment, a timeout. */
export function safeGit(baseDir?: string, timeoutMs = 120_000, abort?: AbortSignal): SimpleGit {
  return simpleGit({
    baseDir,
    config: SAFE_GIT_CONFIG,
    // The whole operation's deadline: a server that trickles bytes never trips the silence timeout below.
    ...(abort ? { abort } : {}),
    // Kills git when it produces no output for this long (a stalled or tar-pit server).
    timeout: { block: timeoutMs },
    // Both are only ever used to switch things off: `--template=` (empty) keeps host
    // templates from adding hooks; core.fsmonitor=false stops a crafted .git/config in a
    // local submission from naming a command for git to run.
    unsafe: { allowUnsafeTemplateDir: true, allowUnsafeFsMonitor: true },
  }).env(gitEnv());
}

/** A minimal environment: nothing from the user's shell (GIT_*, EDITOR, askpass) leaks in. */
function gitEnv(): Record<string, string> {
  const env: Record<string, string> = {
    GIT_TERMINAL_PROMPT: '0',
    GIT_LFS_SKIP_SMUDGE: '1',
    GIT_CONFIG_NOSYSTEM: '1',
  };
  for (const name of ['PATH', 'HOME', 'LANG', 'GIT_SSL_CAINFO', 'SSL_CERT_FILE', 'SSL_CERT_DIR', 'HTTPS_PROXY', 'https_proxy', 'NO_PROXY', 'no_proxy']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** Refuses arguments git could read as options or as a transport that runs commands. */
export function assertSafeArguments(source: string, ref: string | null): void {
  if (source.startsWith('-')) throw new UsageError(`refusing source "${source}": it looks like an option`);
  if (/^[a-z][a-z0-9+.-]*::/i.test(source)) throw new UsageError(`refusing source "${source}": transport helpers are not allowed`);
  if (ref !== null && (ref.startsWith('-') || !/^[\w./@+-]+$/.test(ref))) {
    throw new UsageError(`refusing ref "${ref}": not a branch, tag or commit name`);
  }
}

/**
 * Turns the `<source>` argument into a directory to grade. Local directories are used in
 * place (they are only read and packed); git URLs are cloned shallow into a temp dir.
 */
export async function resolveSource(source: string, ref: string | null, timeoutMs = 120_000): Promise<SubmissionSource> {
  assertSafeArguments(source, ref);
  if (isGitUrl(source)) return cloneUrl(source, ref, timeoutMs);
  return localDirectory(source, ref);
}

async function localDirectory(source: string, ref: string | null): Promise<SubmissionSource> {
  const root = path.resolve(source);
  const info = await stat(root).catch(() => null);
  if (!info) throw new UsageError(`source not found: ${source}`);
  if (!info.isDirectory()) throw new UsageError(`source is not a directory: ${source}`);
  if (ref !== null) throw new UsageError('--ref applies to git URLs; check out the ref in the local directory instead');
  const isRepo = await stat(path.join(root, '.git')).then(() => true, () => false);
  let commit: string | null = null;
  if (isRepo) {
    commit = await safeGit(root)
      .revparse(['HEAD'])
      .then((sha) => sha.trim())
      .catch(() => null);
  }
  return {
    kind: isRepo ? 'git-repo' : 'directory',
    display: root,
    name: nameFrom(root),
    root,
    ref: null,
    commit,
    cleanup: async () => undefined,
  };
}

async function cloneUrl(source: string, ref: string | null, timeoutMs: number): Promise<SubmissionSource> {
  assertCloneableUrl(source);
  const dir = await mkdtemp(path.join(tmpdir(), 'tg-clone-'));
  const root = path.join(dir, 'repo');
  const cleanup = () => rm(dir, { recursive: true, force: true });
  const abort = AbortSignal.timeout(timeoutMs);
  try {
    const fullSha = ref !== null && /^[0-9a-f]{40}$/i.test(ref);
    if (fullSha) {
      // A commit cannot be named by --branch; fetch exactly that object instead.
      await safeGit(undefined, timeoutMs, abort).init(['--template=', root]);
      const repo = safeGit(root, timeoutMs, abort);
      await repo.addRemote('origin', source);
      await repo.fetch(['--depth=1', '--no-tags', 'origin', ref]);
      await repo.checkout(['--detach', 'FETCH_HEAD']);
    } else {
      const args = ['--template=', '--depth=1', '--single-branch', '--no-tags', '--no-recurse-submodules'];
      if (ref !== null) args.push('--branch', ref);
      await safeGit(undefined, timeoutMs, abort).clone(source, root, args);
    }
    const commit = (await safeGit(root).revparse(['HEAD'])).trim();
    return { kind: 'git-url', display: redactUrl(source), name: nameFrom(source), root, ref, commit, cleanup };
  } catch (error) {
    await cleanup();
    const why = abort.aborted ? `no complete answer within the ${Math.round(timeoutMs / 1000)} s fetch deadline` : firstLine(error);
    throw new UsageError(`cannot clone ${redactUrl(source)}${ref ? ` at ${ref}` : ''}: ${why}`);
  }
}

function firstLine(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  const lines = text.split('\n').map((line) => line.trim()).filter(Boolean);
  const fatal = lines.find((line) => line.startsWith('fatal:') || line.startsWith('error:'));
  return (fatal ?? lines[0] ?? 'unknown error').replace(/^fatal:\s*/, '');
}
