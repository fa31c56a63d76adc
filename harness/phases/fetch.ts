import { readdir } from 'node:fs/promises';
import { UsageError } from '../../core/errors.ts';
import { PackLimitError, planPack, type PackPlan } from '../../sandbox/copy/pack-directory.ts';
import { repoFiles } from '../../sandbox/toolchains/repo-files.ts';
import type { GradingRun } from '../grading-run.ts';
import { chooseToolchain, type ToolchainChoice } from '../plan/choose-toolchain.ts';
import { resolveSource, type SubmissionSource } from '../source/resolve-source.ts';
import { PhaseFailure, type PhaseSuccess } from './phase-recorder.ts';

export interface Fetched {
  source: SubmissionSource;
  pack: PackPlan;
  /** The toolchain that applies, or why none does (the install phase reports it). */
  choice: ToolchainChoice;
}

/**
 * The submission on this host (a folder, or a clone), which toolchain applies, and what of
 * it crosses into the sandbox: regular files only, without what the toolchain recreates.
 */
export async function fetchSource(run: GradingRun): Promise<PhaseSuccess<Fetched>> {
  const { request, manifest } = run;
  const source = await resolveSource(request.source, request.ref, manifest.deadlines.fetch * 1000).catch((error: unknown) => {
    if (error instanceof UsageError) throw new PhaseFailure('CLONE_FAILED', 'candidate', error.message);
    throw error;
  });
  run.facts.source = source;
  const topLevel = await readdir(source.root, { withFileTypes: true });
  const choice = chooseToolchain(
    repoFiles(source.root, topLevel.filter((entry) => entry.isFile()).map((entry) => entry.name)),
    { requested: request.overrides?.toolchain ?? null, imageAndStartGiven: Boolean(request.overrides?.image && request.overrides.start) },
  );
  const pack = await planPack(source.root, { ignoreTopLevel: choice.toolchain?.packIgnore ?? [] }).catch((error: unknown) => {
    if (error instanceof PackLimitError) throw new PhaseFailure('REPO_TOO_LARGE', 'candidate', `submission too large: ${error.message}`);
    throw error;
  });
  run.facts.pack = pack;
  const dropped = pack.dropped.length ? `; left out ${pack.dropped.length} links/special files` : '';
  return {
    value: { source, pack, choice },
    message: `${pack.files} files, ${(pack.bytes / 1024).toFixed(0)} KiB${source.commit ? ` at ${source.commit.slice(0, 12)}` : ''}${dropped}`,
  };
}
