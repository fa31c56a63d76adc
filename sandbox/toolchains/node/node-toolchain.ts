import { z } from 'zod';
import type { CommandStep, Toolchain, ToolchainPlan } from '../toolchain.ts';
import { NODE_LEAK_PATTERNS } from './leak-patterns.ts';
import { packageManager, type PackageManager } from './package-manager.ts';
import { parseTestSummary } from './test-summary.ts';

const packageJsonSchema = z.object({
  scripts: z.record(z.string(), z.string()).optional(),
  main: z.string().optional(),
  packageManager: z.string().optional(),
});
type PackageJson = z.infer<typeof packageJsonSchema>;

/**
 * The root is read-only and /tmp is the tmpfs: npm needs a writable home and cache there.
 * Corepack keeps the pnpm or Yarn it fetched in the workspace's home (outside the app,
 * whose package.json "type" must not apply to it), so the server's instances, which have
 * no network, find the same one.
 */
const COMMON_ENV = {
  HOME: '/tmp',
  npm_config_cache: '/tmp/.npm',
  npm_config_update_notifier: 'false',
  COREPACK_HOME: '/workspace/home/corepack',
  COREPACK_ENABLE_DOWNLOAD_PROMPT: '0',
  COREPACK_ENABLE_STRICT: '0',
} as const;

const ENTRY_FILES = ['server.js', 'index.js', 'app.js', 'main.js', 'server.mjs', 'index.mjs', 'app.mjs'];
const QUIET = new Set(['--no-audit', '--no-fund', '--non-interactive']);
const step = (cmd: string[]): CommandStep => ({ cmd, display: cmd.filter((arg) => !QUIET.has(arg) && arg !== 'corepack').join(' ') });
const script = (pm: PackageManager, name: string): CommandStep => step(name === 'start' || name === 'test' ? [...pm.run, name] : [...pm.run, 'run', name]);

/**
 * How a Node project starts, in the order a person reading it would try: its `start`
 * script; `start:prod` (NestJS and friends); the `main` file; else one conventional entry
 * file at the root. A `dev` script is not a convention (watchers, ts-node): it is offered
 * to the grader as a hint instead.
 */
function startCommand(pkg: PackageJson, pm: PackageManager, has: (file: string) => boolean): CommandStep | null {
  const scripts = pkg.scripts ?? {};
  if (scripts.start !== undefined) return script(pm, 'start');
  if (scripts['start:prod'] !== undefined) return script(pm, 'start:prod');
  if (pkg.main && has(pkg.main.replace(/^\.\//, ''))) return step(['node', pkg.main]);
  const entries = ENTRY_FILES.filter((file) => has(file));
  return entries.length === 1 && entries[0] ? step(['node', entries[0]]) : null;
}

/** Node.js with npm, pnpm or Yarn (through corepack, as the candidate's packageManager field says). */
export const nodeToolchain: Toolchain = {
  id: 'node',
  title: 'Node.js',
  image: 'node:20-bookworm-slim',
  lookedFor: 'package.json',
  detect: (files) => (files.has('package.json') ? { confidence: 'certain', because: 'package.json' } : null),
  lockfiles: ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml'],
  // A committed node_modules may hold binaries built for another platform; the install recreates it.
  packIgnore: ['node_modules'],
  async plan(files) {
    const text = await files.read('package.json');
    if (text === null) return { ok: false, problem: 'no package.json at the root of the app folder (or it is larger than 1 MiB)' };
    let pkg: PackageJson;
    try {
      pkg = packageJsonSchema.parse(JSON.parse(text));
    } catch (error) {
      return { ok: false, problem: `package.json is not valid: ${error instanceof SyntaxError ? error.message : 'its "scripts" is not an object of strings'}` };
    }
    const pm = await packageManager(files, pkg.packageManager ?? null);
    const scripts = pkg.scripts ?? {};
    const plan: ToolchainPlan = {
      install: step(pm.frozenInstall ?? pm.looseInstall),
      build: scripts.build !== undefined ? script(pm, 'build') : null,
      // npm init's placeholder test script only fails; it is not a test suite.
      test: scripts.test !== undefined && !/no test specified/.test(scripts.test) ? script(pm, 'test') : null,
      start: startCommand(pkg, pm, (file) => files.has(file)),
      startHints: Object.entries(scripts)
        .filter(([name]) => /^(dev|serve|start:dev|develop|watch)$/.test(name))
        .map(([name, command]) => `script "${name}": ${command}`),
      startLookedFor: `a "start" or "start:prod" script, "main", or one of ${ENTRY_FILES.join(', ')}`,
    };
    return { ok: true, plan };
  },
  buildEnv: {
    ...COMMON_ENV,
    // Yarn 2+ is fetched from the npm registry, like pnpm, rather than from its own CDN.
    COREPACK_NPM_REGISTRY: 'https://registry.npmjs.org',
  },
  caBundleEnv: ['NODE_EXTRA_CA_CERTS'],
  // A registry mirror, and corepack's signature policy for one that serves no signatures.
  hostEnv: ['npm_config_registry', 'COREPACK_NPM_REGISTRY', 'COREPACK_INTEGRITY_KEYS'],
  runEnv: { ...COMMON_ENV, COREPACK_ENABLE_NETWORK: '0' },
  // Every package manager verifies what it reads from its store against the lockfile's
  // integrity hashes (cacache and pnpm's store are content-addressed, Yarn checks
  // checksums), so a submission that scribbles in a shared cache cannot hand the next
  // candidate a different package: it can only cost a re-download.
  caches: [
    { id: 'npm', target: '/cache/npm', env: { npm_config_cache: '/cache/npm' } },
    { id: 'pnpm', target: '/cache/pnpm', env: { npm_config_store_dir: '/cache/pnpm' } },
    { id: 'yarn', target: '/cache/yarn', env: { YARN_CACHE_FOLDER: '/cache/yarn/classic', YARN_GLOBAL_FOLDER: '/cache/yarn/berry' } },
  ],
  parseTestSummary,
  leakPatterns: NODE_LEAK_PATTERNS,
};
