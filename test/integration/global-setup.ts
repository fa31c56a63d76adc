import { assignmentImage } from '../../harness/assignment/assignment-images.ts';
import { loadAssignment } from '../../harness/assignment/load-assignment.ts';
import { connectRuntime } from '../../sandbox/docker/docker-runtime.ts';
import { resolveHelperImage } from '../../sandbox/image/helper-image.ts';
import { resolveImage } from '../../sandbox/image/resolve-image.ts';
import { leftovers } from '../support/grade-fixture.ts';

/**
 * Integration tests need a real engine, the runtime image and the helper image. Without them the run fails
 * here with what to do, rather than skipping and passing empty.
 */
export async function setup(): Promise<void> {
  const runtime = connectRuntime();
  const engine = await runtime.probe();
  if (!engine.reachable) {
    throw new Error(`integration tests need a Docker engine: ${engine.error} (run scripts/setup.sh)`);
  }
  const assignment = await loadAssignment();
  await resolveImage(runtime, await assignmentImage(assignment), 30_000).catch((error: unknown) => {
    throw new Error(`integration tests need the runtime image: ${(error as Error).message}`);
  });
  await resolveHelperImage(runtime).catch((error: unknown) => {
    throw new Error(`integration tests need the harness's helper image: ${(error as Error).message}`);
  });
}

/** After every grading, nothing labelled by the harness may remain. */
export async function teardown(): Promise<void> {
  const left = await leftovers();
  if (left.containers.length > 0 || left.volumes.length > 0 || left.networks.length > 0) {
    throw new Error(`harness objects left behind: ${[...left.containers, ...left.volumes, ...left.networks].join(', ')}`);
  }
}
