import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { PackPlan } from '../../sandbox/copy/pack-directory.ts';
import { PhaseFailure } from '../phases/phase-recorder.ts';

const packageJsonSchema = z.object({ scripts: z.record(z.string(), z.string()).optional() });

export interface BuildCommands {
  install: string[];
  /** null when package.json has no build script. */
  build: string[] | null;
  /** null when there is no test script (or only npm's "no test specified" placeholder). */
  test: string[] | null;
  start: string[];
}

const NPM_QUIET = ['--no-audit', '--no-fund'];

/**
 * Reads the submission's package.json (only if it is a regular file the pack plan took)
 * to choose `npm ci` or `npm install`, and whether there is a build step.
 */
export async function planCommands(root: string, plan: PackPlan): Promise<BuildCommands> {
  const has = (file: string) => plan.entries.includes(file);
  if (!has('package.json')) {
    throw new PhaseFailure('INSTALL_FAILED', 'candidate', 'no package.json at the root of the submission');
  }
  const text = await readFile(path.join(root, 'package.json'), 'utf8');
  if (text.length > 1024 * 1024) throw new PhaseFailure('INSTALL_FAILED', 'candidate', 'package.json is larger than 1 MiB');
  let parsed: z.infer<typeof packageJsonSchema>;
  try {
    parsed = packageJsonSchema.parse(JSON.parse(text));
  } catch (error) {
    const detail = error instanceof SyntaxError ? error.message : 'its "scripts" is not an object of strings';
    throw new PhaseFailure('INSTALL_FAILED', 'candidate', `package.json is not valid: ${detail}`);
  }
  return {
    install: has('package-lock.json') ? ['npm', 'ci', ...NPM_QUIET] : ['npm', 'install', ...NPM_QUIET],
    build: parsed.scripts?.build !== undefined ? ['npm', 'run', 'build'] : null,
    test: parsed.scripts?.test !== undefined && !/no test specified/.test(parsed.scripts.test) ? ['npm', 'test'] : null,
    start: ['npm', 'start'],
  };
}
