import { commandToolchain } from './command/command-toolchain.ts';
import { goToolchain } from './go/go-toolchain.ts';
import { javaToolchain } from './java/java-toolchain.ts';
import { nodeToolchain } from './node/node-toolchain.ts';
import { pythonToolchain } from './python/python-toolchain.ts';
import type { Detection, RepoFiles, Toolchain } from './toolchain.ts';

/** Every toolchain, in the order detection tries them. */
export const TOOLCHAINS: readonly Toolchain[] = [nodeToolchain, pythonToolchain, goToolchain, javaToolchain, commandToolchain];

export function findToolchain(id: string): Toolchain | undefined {
  return TOOLCHAINS.find((toolchain) => toolchain.id === id);
}

/** The images a toolchain names: the one it builds in, and the one its server runs in when slimmer. */
export function toolchainImages(toolchain: Toolchain): string[] {
  return [toolchain.image, ...(toolchain.runImage ? [toolchain.runImage] : [])];
}

/** Every toolchain that applies to these files, most certain first. */
export function detectToolchains(files: RepoFiles): Array<{ toolchain: Toolchain; detection: Detection }> {
  const found = TOOLCHAINS.flatMap((toolchain) => {
    const detection = toolchain.detect(files);
    return detection ? [{ toolchain, detection }] : [];
  });
  return found.sort((a, b) => Number(b.detection.confidence === 'certain') - Number(a.detection.confidence === 'certain'));
}

/** A build system the harness recognises but has no toolchain for, and what to do instead. */
export interface UnsupportedBuild {
  title: string;
  because: string;
  hint: string;
}

const GRADLE_FILES = ['build.gradle', 'build.gradle.kts', 'settings.gradle', 'settings.gradle.kts'];

/**
 * A build the submission clearly uses that no toolchain grades (Gradle), so the report can
 * say "unsupported" instead of "no toolchain found". Null when a toolchain applies or no
 * known build file is there. Pure: it looks at file names only.
 */
export function detectUnsupported(files: RepoFiles): UnsupportedBuild | null {
  // A Maven build beside the Gradle one is graded by the Java toolchain.
  if (files.has('pom.xml')) return null;
  const gradle = GRADLE_FILES.find((file) => files.has(file));
  if (!gradle) return null;
  const wrapper = files.has('gradlew') ? ' (with a gradlew wrapper)' : '';
  return {
    title: 'Java or Kotlin with Gradle',
    because: `found ${gradle}${wrapper}: Gradle builds are not supported yet (the Java toolchain builds with Maven)`,
    hint:
      'grade it anyway with --toolchain command --image <a JDK image, e.g. eclipse-temurin:21-jdk> --start "<command>"; the start runs without network, ' +
      'so it must start what is already built (e.g. --start "java -jar build/libs/app.jar" for a committed jar), or add a pom.xml',
  };
}
