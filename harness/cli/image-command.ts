import { HarnessError, UsageError } from '../../core/errors.ts';
import { connectRuntime } from '../../sandbox/docker/docker-runtime.ts';
import type { BuiltImage } from '../../sandbox/image/build-image.ts';
import { buildOfflineImage } from '../../sandbox/image/build-offline-image.ts';
import { buildProberImage, SUITE_RUNNERS, type SuiteRunner } from '../../sandbox/image/helper-image.ts';
import { findToolchain, TOOLCHAINS, toolchainImages } from '../../sandbox/toolchains/toolchains.ts';
import { assignmentImage } from '../assignment/assignment-images.ts';
import { loadAssignment } from '../assignment/load-assignment.ts';

/**
 * `grader image build`: the offline stand-in for the assignment's runtime image (skipped
 * when the real image is present), the harness's helper image, and the prober image of
 * each suite runner the assignment's hidden suites name. `--toolchain <id>` builds that
 * toolchain's stand-ins instead of the assignment's; `--all` every stand-in and prober
 * image. Idempotent: an image whose recipe label matches is kept unless --force.
 */
export async function imageBuildCommand(options: { force?: boolean; mirror?: string; assignment?: string; toolchain?: string; all?: boolean }): Promise<number> {
  const runtime = connectRuntime();
  const engine = await runtime.probe();
  if (!engine.reachable) throw new HarnessError(`container engine not reachable at ${engine.endpoint}: ${engine.error}`);
  let configured: string[];
  let runners: SuiteRunner[];
  if (options.all) {
    configured = TOOLCHAINS.flatMap(toolchainImages);
    runners = [...SUITE_RUNNERS];
  } else if (options.toolchain) {
    const toolchain = findToolchain(options.toolchain);
    if (!toolchain) throw new UsageError(`no toolchain ${options.toolchain} (there are ${TOOLCHAINS.map((t) => t.id).join(', ')})`);
    configured = toolchainImages(toolchain);
    runners = ['node'];
  } else {
    const assignment = await loadAssignment(options.assignment);
    const image = await assignmentImage(assignment);
    // The toolchain whose image the assignment uses may run its server in a slimmer one.
    const runImage = TOOLCHAINS.find((toolchain) => toolchain.image === image)?.runImage;
    configured = [image, ...(runImage && !assignment.manifest.runtime.image ? [runImage] : [])];
    runners = ['node', ...assignment.manifest.suites.map((suite) => suite.runner).filter((runner) => runner !== 'node')];
  }
  const build = {
    mirror: options.mirror ?? 'http://deb.debian.org/debian',
    force: options.force ?? false,
    log: (line: string) => process.stderr.write(`image: ${line}\n`),
  };
  const say = (result: BuiltImage) =>
    process.stdout.write(`${result.built ? 'built' : 'up to date'}: ${result.name} ${result.id.slice(0, 19)} (${(result.durationMs / 1000).toFixed(1)} s)\n`);
  for (const image of new Set(configured)) {
    if (!options.force && (await runtime.findImage(image))) process.stdout.write(`present: ${image} (no stand-in needed)\n`);
    else say(await buildOfflineImage(runtime, { ...build, configured: image }));
  }
  for (const runner of new Set(runners)) say(await buildProberImage(runtime, runner, build));
  return 0;
}
