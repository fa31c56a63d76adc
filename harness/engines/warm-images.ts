import { proberImageName } from '../../sandbox/image/helper-image.ts';
import { offlineImageName } from '../../sandbox/image/resolve-image.ts';
import type { SandboxRuntime } from '../../sandbox/runtime/sandbox-runtime.ts';
import { assignmentImage } from '../assignment/assignment-images.ts';
import type { Assignment } from '../assignment/load-assignment.ts';

/**
 * Asks the engine, before a grading starts its clock, for the images every submission to
 * this assignment needs: the prober images of its suites and the assignment's runtime image
 * (or its offline stand-in). On a pool engine that lacks them they are loaded from a peer
 * now, so the copy never counts against a candidate's deadline. Images only some
 * submissions need (another language's toolchain) are still loaded when first asked for.
 * Never throws: what cannot be had here is the grading's to report.
 */
export async function warmImages(runtime: SandboxRuntime, assignment: Assignment): Promise<void> {
  const runners = new Set(['node' as const, ...assignment.manifest.suites.map((suite) => suite.runner)]);
  for (const runner of runners) await runtime.findImage(proberImageName(runner)).catch(() => null);
  const configured = await assignmentImage(assignment).catch(() => null);
  if (configured === null) return;
  if (await runtime.findImage(configured).catch(() => null)) return;
  await runtime.findImage(offlineImageName(configured)).catch(() => null);
}
