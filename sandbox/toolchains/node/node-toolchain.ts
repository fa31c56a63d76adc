import { z } from 'zod';
import type { CommandStep, Toolchain } from '../toolchain.ts';
import { NODE_LEAK_PATTERNS } from './leak-patterns.ts';
import { parseTestSummary } from './test-summary.ts';

const packageJsonSchema = z.object({ scripts: z.record(z.string(), z.string()).optional() });

const NPM_QUIET = ['--no-audit', '--no-fund'];
const CACHE_TARGET = '/cache/npm';
const step = (...cmd: string[]): CommandStep => ({ cmd, display: cmd.filter((arg) => !NPM_QUIET.includes(arg)).join(' ') });

/** Node.js with npm: `npm ci` (or `npm install` without a lockfile), `npm run build`, `npm start`. */
export const nodeToolchain: Toolchain = {
  id: 'node',
  title: 'Node.js (npm)',
  image: 'node:20-bookworm-slim',
  lookedFor: 'package.json',
  detect: (files) => (files.has('package.json') ? { confidence: 'certain', because: 'package.json' } : null),
  lockfiles: ['package-lock.json', 'npm-shrinkwrap.json', 'yarn.lock', 'pnpm-lock.yaml'],
  // A committed node_modules may hold binaries built for another platform; the install recreates it.
  packIgnore: ['node_modules'],
  async plan(files) {
    const text = await files.read('package.json');
    if (text === null) return { ok: false, problem: 'no package.json at the root of the submission (or it is larger than 1 MiB)' };
    let parsed: z.infer<typeof packageJsonSchema>;
    try {
      parsed = packageJsonSchema.parse(JSON.parse(text));
    } catch (error) {
      return { ok: false, problem: `package.json is not valid: ${error instanceof SyntaxError ? error.message : 'its "scripts" is not an object of strings'}` };
    }
    const scripts = parsed.scripts ?? {};
    return {
      ok: true,
      plan: {
        install: files.has('package-lock.json') ? step('npm', 'ci', ...NPM_QUIET) : step('npm', 'install', ...NPM_QUIET),
        build: scripts.build !== undefined ? step('npm', 'run', 'build') : null,
        // npm init's placeholder test script only fails; it is not a test suite.
        test: scripts.test !== undefined && !/no test specified/.test(scripts.test) ? step('npm', 'test') : null,
        start: step('npm', 'start'),
      },
    };
  },
  // The root is read-only and /tmp is the tmpfs: npm needs a writable home and cache there.
  buildEnv: { HOME: '/tmp', npm_config_cache: '/tmp/.npm', npm_config_update_notifier: 'false' },
  caBundleEnv: ['NODE_EXTRA_CA_CERTS'],
  runEnv: { HOME: '/tmp', npm_config_cache: '/tmp/.npm', npm_config_update_notifier: 'false' },
  // npm verifies every tarball against the lockfile's integrity hash on read (cacache is
  // content-addressed), so a submission that scribbles in the shared cache cannot hand the
  // next candidate a different package: it can only cost a re-download.
  caches: [{ id: 'npm', target: CACHE_TARGET, env: { npm_config_cache: CACHE_TARGET } }],
  parseTestSummary,
  leakPatterns: NODE_LEAK_PATTERNS,
};
