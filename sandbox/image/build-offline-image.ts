import type { SandboxRuntime } from '../runtime/sandbox-runtime.ts';
import { buildImage, type BuildImageOptions, type BuiltImage } from './build-image.ts';
import { offlineImageName } from './resolve-image.ts';

export interface OfflineImageOptions extends BuildImageOptions {
  /** The image this one stands in for; only Debian bookworm + Node is supported. */
  configured: string;
}

export type OfflineImageResult = BuiltImage;

/**
 * Builds a stand-in for node:20-bookworm-slim without a registry: this machine's node and
 * npm and a `node` user (uid 1000) as in the official image. Cached: rebuilt only when the
 * host's node changes or --force.
 */
export function buildOfflineImage(runtime: SandboxRuntime, options: OfflineImageOptions): Promise<OfflineImageResult> {
  return buildImage(runtime, { name: offlineImageName(options.configured), addNode: true, addNpm: true }, options);
}
