import { HarnessError } from '../../core/errors.ts';
import { LABEL_PREFIX } from '../labels.ts';
import type { SandboxRuntime } from '../runtime/sandbox-runtime.ts';
import { buildImage, type BuildImageOptions, type BuiltImage } from './build-image.ts';
import type { ResolvedImage } from './resolve-image.ts';

/**
 * The harness's own image, in which the keeper, the prober and cache setup run: node (the
 * same version as the harness, so the prober bundle runs as it was tested), no npm, a
 * uid 1000 user. Named by the Node version, so a host upgrade asks for a new build.
 */
export function helperImageName(): string {
  return `takehome-grader/prober:node${process.version.slice(1)}`;
}

/** The helper image if the engine has it; a clear error saying how to build it otherwise. */
export async function resolveHelperImage(runtime: SandboxRuntime): Promise<ResolvedImage> {
  const name = helperImageName();
  const found = await runtime.findImage(name);
  if (!found) {
    throw new HarnessError(`the harness's helper image ${name} is missing (it runs the prober); run \`npx grader image build\``);
  }
  return { name, id: found.id, substituteFor: null };
}

export function buildHelperImage(runtime: SandboxRuntime, options: BuildImageOptions): Promise<BuiltImage> {
  return buildImage(runtime, { name: helperImageName(), addNode: true, addNpm: false, labels: { [`${LABEL_PREFIX}.image-role`]: 'helper' } }, options);
}
