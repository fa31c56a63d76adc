import { connectEngine, probeEngine } from '../../sandbox/engine.ts';
import { buildOfflineImage } from '../../sandbox/image/build-offline-image.ts';
import { loadAssignment } from '../assignment/load-assignment.ts';
import { HarnessError } from '../../core/errors.ts';

/** `grader image build`: the offline stand-in for the assignment's runtime image. */
export async function imageBuildCommand(options: { force?: boolean; mirror?: string; assignment?: string }): Promise<number> {
  const docker = connectEngine();
  const engine = await probeEngine(docker);
  if (!engine.reachable) throw new HarnessError(`Docker engine not reachable at ${engine.endpoint}: ${engine.error}`);
  const { manifest } = await loadAssignment(options.assignment);
  const result = await buildOfflineImage(docker, {
    configured: manifest.runtime.image,
    mirror: options.mirror ?? 'http://deb.debian.org/debian',
    force: options.force ?? false,
    log: (line) => process.stderr.write(`image: ${line}\n`),
  });
  process.stdout.write(
    `${result.built ? 'built' : 'up to date'}: ${result.name} ${result.id.slice(0, 19)} (${(result.durationMs / 1000).toFixed(1)} s)\n`,
  );
  return 0;
}
