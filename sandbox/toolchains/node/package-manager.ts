import type { RepoFiles } from '../toolchain.ts';

export interface PackageManager {
  id: 'npm' | 'pnpm' | 'yarn-classic' | 'yarn-berry';
  /** The command prefix that runs it: npm directly, the others through corepack. */
  run: string[];
  /** Installs exactly what the lockfile says; null when there is no lockfile to honour. */
  frozenInstall: string[] | null;
  /** Installs and resolves what is missing (no lockfile). */
  looseInstall: string[];
  /** Why this one: the lockfile or packageManager field that decided. */
  because: string;
}

const NPM_QUIET = ['--no-audit', '--no-fund'];

/**
 * The package manager the candidate used, from package.json's packageManager field (what
 * corepack honours) or else the lockfile they committed: installing with another one
 * re-resolves every version and may install what they never tested with.
 */
export async function packageManager(files: RepoFiles, declared: string | null): Promise<PackageManager> {
  const name = declared?.split('@')[0] ?? null;
  const major = Number(declared?.split('@')[1]?.split('.')[0] ?? Number.NaN);
  if (name === 'pnpm' || (name === null && files.has('pnpm-lock.yaml'))) {
    return {
      id: 'pnpm',
      run: ['corepack', 'pnpm'],
      frozenInstall: files.has('pnpm-lock.yaml') ? ['corepack', 'pnpm', 'install', '--frozen-lockfile'] : null,
      looseInstall: ['corepack', 'pnpm', 'install'],
      because: declared ? `packageManager ${declared}` : 'pnpm-lock.yaml',
    };
  }
  if (name === 'yarn' || (name === null && files.has('yarn.lock'))) {
    const lock = files.has('yarn.lock') ? await files.read('yarn.lock') : null;
    // Yarn 2+ writes a __metadata block; classic's lockfile says "yarn lockfile v1".
    const berry = Number.isFinite(major) ? major >= 2 : lock !== null ? /^__metadata:/m.test(lock) : files.has('.yarnrc.yml');
    return berry
      ? {
          id: 'yarn-berry',
          run: ['corepack', 'yarn'],
          frozenInstall: lock !== null ? ['corepack', 'yarn', 'install', '--immutable'] : null,
          looseInstall: ['corepack', 'yarn', 'install'],
          because: declared ? `packageManager ${declared}` : 'yarn.lock (Yarn 2+)',
        }
      : {
          id: 'yarn-classic',
          run: ['corepack', 'yarn'],
          frozenInstall: lock !== null ? ['corepack', 'yarn', 'install', '--frozen-lockfile', '--non-interactive'] : null,
          looseInstall: ['corepack', 'yarn', 'install', '--non-interactive'],
          because: declared ? `packageManager ${declared}` : 'yarn.lock (classic)',
        };
  }
  const lock = files.has('package-lock.json') || files.has('npm-shrinkwrap.json');
  return {
    id: 'npm',
    run: ['npm'],
    frozenInstall: lock ? ['npm', 'ci', ...NPM_QUIET] : null,
    looseInstall: ['npm', 'install', ...NPM_QUIET],
    because: declared ? `packageManager ${declared}` : lock ? 'package-lock.json' : 'no lockfile',
  };
}
