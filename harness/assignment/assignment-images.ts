import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../core/errors.ts';
import { repoFiles } from '../../sandbox/toolchains/repo-files.ts';
import { chooseToolchain } from '../plan/choose-toolchain.ts';
import type { Assignment } from './load-assignment.ts';

/**
 * The image the assignment's own submissions need: the one its manifest pins, else the
 * image of the toolchain its reference is written with. What `image build`, `doctor` and
 * the test setup make sure of.
 */
export async function assignmentImage(assignment: Assignment): Promise<string> {
  const pinned = assignment.manifest.runtime.image;
  if (pinned) return pinned;
  const reference = path.resolve(assignment.dir, assignment.manifest.reference);
  const names = await readdir(reference, { withFileTypes: true }).catch(() => []);
  const choice = chooseToolchain(repoFiles(reference, names.filter((entry) => entry.isFile()).map((entry) => entry.name)), { requested: null, imageAndStartGiven: false });
  if (!choice.toolchain) throw new UsageError(`assignment ${assignment.manifest.id}: runtime.image is not set and its reference (${reference}) has no toolchain: ${choice.problem}`);
  return choice.toolchain.image;
}
