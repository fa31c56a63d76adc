import { loadAssignment } from '../../harness/assignment/load-assignment.ts';
import { connectEngine, probeEngine } from '../../sandbox/engine.ts';
import { resolveImage } from '../../sandbox/image/resolve-image.ts';
import { leftovers } from '../support/grade-fixture.ts';

/**
 * Integration tests need a real engine and the runtime image. Without them the run fails
 * here with what to do, rather than skipping and passing empty.
 */
export async function setup(): Promise<void> {
  const docker = connectEngine();
  const engine = await probeEngine(docker);
  if (!engine.reachable) {
    throw new Error(`integration tests need a Docker engine: ${engine.error} (run scripts/setup.sh)`);
  }
  const { manifest } = await loadAssignment();
  await resolveImage(docker, manifest.runtime.image, 30_000).catch((error: unknown) => {
    throw new Error(`integration tests need the runtime image: ${(error as Error).message}`);
  });
}

/** After every grading, nothing labelled by the harness may remain. */
export async function teardown(): Promise<void> {
  const left = await leftovers();
  if (left.containers.length > 0 || left.volumes.length > 0) {
    throw new Error(`harness objects left behind: ${[...left.containers, ...left.volumes].join(', ')}`);
  }
}
