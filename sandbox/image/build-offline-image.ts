import type { SandboxRuntime } from '../runtime/sandbox-runtime.ts';
import { buildImage, type BuildImageOptions, type BuiltImage } from './build-image.ts';
import { standInRecipe } from './stand-ins.ts';

export interface OfflineImageOptions extends BuildImageOptions {
  /** The image this one stands in for: one of STAND_INS (node, python, golang, maven, temurin JRE, debian). */
  configured: string;
}

export type OfflineImageResult = BuiltImage;

/**
 * Builds the stand-in for a configured image without a registry (`takehome-grader/<name>`,
 * which resolveImage tries before a pull), from its recipe in STAND_INS. Cached: rebuilt
 * only when the recipe (packages, host tool versions) changes, or with `force`.
 */
export async function buildOfflineImage(runtime: SandboxRuntime, options: OfflineImageOptions): Promise<OfflineImageResult> {
  return buildImage(runtime, await standInRecipe(options.configured), options);
}
