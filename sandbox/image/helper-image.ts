import { HarnessError } from '../../core/errors.ts';
import { LABEL_PREFIX } from '../labels.ts';
import type { SandboxRuntime } from '../runtime/sandbox-runtime.ts';
import { buildImage, type BuildImageOptions, type BuiltImage, type ImageRecipe } from './build-image.ts';
import type { ResolvedImage } from './resolve-image.ts';

/** What a hidden suite's command needs beside node in the prober: `node` (the helper image) or `python` (python3 + pytest). */
export type SuiteRunner = 'node' | 'python';
export const SUITE_RUNNERS: readonly SuiteRunner[] = ['node', 'python'];

/**
 * The harness's own image, in which the keeper, the prober and cache setup run: node (the
 * same version as the harness, so the prober bundle runs as it was tested), no npm, a
 * uid 1000 user. Named by the Node version, so a host upgrade asks for a new build.
 */
export function helperImageName(): string {
  return `takehome-grader/prober:node${process.version.slice(1)}`;
}

/**
 * The prober image a hidden suite runs in: the helper image for `node` suites, and for
 * `python` the same plus Debian's python3 and pytest, so a pytest suite runs in the prober
 * without the candidate's image holding either.
 */
export function proberImageName(runner: SuiteRunner = 'node'): string {
  return runner === 'node' ? helperImageName() : `takehome-grader/prober-${runner}:node${process.version.slice(1)}`;
}

/** The helper image if the engine has it; a clear error saying how to build it otherwise. */
export async function resolveHelperImage(runtime: SandboxRuntime): Promise<ResolvedImage> {
  return resolveProberImage(runtime, 'node');
}

/** A suite runner's prober image if the engine has it; a clear error saying how to build it otherwise. */
export async function resolveProberImage(runtime: SandboxRuntime, runner: SuiteRunner): Promise<ResolvedImage> {
  const name = proberImageName(runner);
  const found = await runtime.findImage(name);
  if (!found) {
    const what = runner === 'node' ? "the harness's helper image" : `the prober image for ${runner} suites`;
    throw new HarnessError(`${what} ${name} is missing (it runs the prober); run \`npx grader image build\``);
  }
  return { name, id: found.id, substituteFor: null };
}

export function proberRecipe(runner: SuiteRunner): ImageRecipe {
  const base: ImageRecipe = { name: proberImageName(runner), addNode: true, addNpm: false, user: 'node', labels: { [`${LABEL_PREFIX}.image-role`]: 'helper' } };
  if (runner === 'node') return base;
  return {
    ...base,
    labels: { [`${LABEL_PREFIX}.image-role`]: `prober-${runner}` },
    // Debian's pytest: a suite's runner comes from the distribution, not from an index at grading time.
    packages: ['python3', 'python3-pytest'],
    links: { '/usr/local/bin/python': '/usr/bin/python3' },
    env: { LANG: 'C.UTF-8', PYTHONDONTWRITEBYTECODE: '1' },
    versionCommand: 'python3 --version; python3 -m pytest --version',
  };
}

export function buildHelperImage(runtime: SandboxRuntime, options: BuildImageOptions): Promise<BuiltImage> {
  return buildImage(runtime, proberRecipe('node'), options);
}

export function buildProberImage(runtime: SandboxRuntime, runner: SuiteRunner, options: BuildImageOptions): Promise<BuiltImage> {
  return buildImage(runtime, proberRecipe(runner), options);
}
