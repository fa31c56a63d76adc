import { readdir, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../../core/errors.ts';
import { PackLimitError, planPack, type PackPlan } from '../../sandbox/copy/pack-directory.ts';
import { repoFiles } from '../../sandbox/toolchains/repo-files.ts';
import type { GradingRun } from '../grading-run.ts';
import { chooseToolchain, type ToolchainChoice } from '../plan/choose-toolchain.ts';
import { resolveSource, type SubmissionSource } from '../source/resolve-source.ts';
import { PhaseFailure, type PhaseSuccess } from './phase-recorder.ts';

export interface Fetched {
  source: SubmissionSource;
  /** The app's folder: the repository root, or the folder --dir names inside it. */
  appRoot: string;
  pack: PackPlan;
  /** The toolchain that applies, or why none does (the install phase reports it). */
  choice: ToolchainChoice;
}

/**
 * The submission on this host (a folder, or a clone), the app folder inside it, which
 * toolchain applies, and what of it crosses into the sandbox: regular files only, without
 * what the toolchain recreates.
 */
export async function fetchSource(run: GradingRun): Promise<PhaseSuccess<Fetched>> {
  const { request, manifest } = run;
  const source = await resolveSource(request.source, request.ref, manifest.deadlines.fetch * 1000).catch((error: unknown) => {
    if (error instanceof UsageError) throw new PhaseFailure('CLONE_FAILED', 'candidate', error.message);
    throw error;
  });
  run.facts.source = source;
  const dir = request.overrides?.dir ?? manifest.submission.dir ?? null;
  const appRoot = dir === null ? source.root : await appFolder(source.root, dir);
  const topLevel = await readdir(appRoot, { withFileTypes: true });
  const overrides = request.overrides ?? {};
  const choice = chooseToolchain(repoFiles(appRoot, topLevel.filter((entry) => entry.isFile()).map((entry) => entry.name)), {
    requested: overrides.toolchain ?? manifest.submission.toolchain ?? null,
    imageAndStartGiven: Boolean((overrides.image ?? manifest.runtime.image) && (overrides.start ?? manifest.submission.start)),
  });
  const pack = await planPack(appRoot, { ignoreTopLevel: choice.toolchain?.packIgnore ?? [] }).catch((error: unknown) => {
    if (error instanceof PackLimitError) throw new PhaseFailure('REPO_TOO_LARGE', 'candidate', `submission too large: ${error.message}`);
    throw error;
  });
  run.facts.pack = pack;
  const dropped = pack.dropped.length ? `; left out ${pack.dropped.length} links/special files` : '';
  const where = dir === null ? '' : ` in ${dir}/`;
  return {
    value: { source, appRoot, pack, choice },
    message: `${pack.files} files, ${(pack.bytes / 1024).toFixed(0)} KiB${where}${source.commit ? ` at ${source.commit.slice(0, 12)}` : ''}${dropped}`,
  };
}

/**
 * The folder --dir names, which must be a folder inside the repository: a path that climbs
 * out (or a link that leads out) is refused like a bad source, never followed.
 */
async function appFolder(root: string, dir: string): Promise<string> {
  const bad = (why: string) => new PhaseFailure('CLONE_FAILED', 'candidate', `--dir ${dir}: ${why}`);
  if (path.isAbsolute(dir) || dir.split(/[\\/]/).includes('..')) throw bad('must be a folder inside the repository');
  const target = path.resolve(root, dir);
  const info = await stat(target).catch(() => null);
  if (!info?.isDirectory()) throw bad('no such folder in the repository');
  const [real, realRoot] = await Promise.all([realpath(target), realpath(root)]);
  if (real !== realRoot && !real.startsWith(`${realRoot}${path.sep}`)) throw bad('leads outside the repository');
  return target;
}
