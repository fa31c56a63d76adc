import { commandToolchain } from './command/command-toolchain.ts';
import { nodeToolchain } from './node/node-toolchain.ts';
import type { Detection, RepoFiles, Toolchain } from './toolchain.ts';

/** Every toolchain, in the order detection tries them. */
export const TOOLCHAINS: readonly Toolchain[] = [nodeToolchain, commandToolchain];

export function findToolchain(id: string): Toolchain | undefined {
  return TOOLCHAINS.find((toolchain) => toolchain.id === id);
}

/** Every toolchain that applies to these files, most certain first. */
export function detectToolchains(files: RepoFiles): Array<{ toolchain: Toolchain; detection: Detection }> {
  const found = TOOLCHAINS.flatMap((toolchain) => {
    const detection = toolchain.detect(files);
    return detection ? [{ toolchain, detection }] : [];
  });
  return found.sort((a, b) => Number(b.detection.confidence === 'certain') - Number(a.detection.confidence === 'certain'));
}
