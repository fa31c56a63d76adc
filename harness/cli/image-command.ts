import { HarnessError } from '../../core/errors.ts';
import { connectRuntime } from '../../sandbox/docker/docker-runtime.ts';
import type { BuiltImage } from '../../sandbox/image/build-image.ts';
import { buildOfflineImage } from '../../sandbox/image/build-offline-image.ts';
import { buildHelperImage } from '../../sandbox/image/helper-image.ts';
import { assignmentImage } from '../assignment/assignment-images.ts';
import { loadAssignment } from '../assignment/load-assignment.ts';

/**
 * `grader image build`: the offline stand-in for the assignment's runtime image (skipped
 * when the real image is present) and the harness's helper image. Idempotent: an image
 * that carries this machine's Node version is kept unless --force.
 */
export async function imageBuildCommand(options: { force?: boolean; mirror?: string; assignment?: string }): Promise<number> {
  const runtime = connectRuntime();
  const engine = await runtime.probe();
  if (!engine.reachable) throw new HarnessError(`container engine not reachable at ${engine.endpoint}: ${engine.error}`);
  const configured = await assignmentImage(await loadAssignment(options.assignment));
  const build = {
    mirror: options.mirror ?? 'http://deb.debian.org/debian',
    force: options.force ?? false,
    log: (line: string) => process.stderr.write(`image: ${line}\n`),
  };
  const say = (result: BuiltImage) =>
    process.stdout.write(`${result.built ? 'built' : 'up to date'}: ${result.name} ${result.id.slice(0, 19)} (${(result.durationMs / 1000).toFixed(1)} s)\n`);
  if (!options.force && (await runtime.findImage(configured))) process.stdout.write(`present: ${configured} (no stand-in needed)\n`);
  else say(await buildOfflineImage(runtime, { ...build, configured }));
  say(await buildHelperImage(runtime, build));
  return 0;
}
