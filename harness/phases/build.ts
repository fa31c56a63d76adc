import { CA_PATH } from '../../sandbox/sandbox-job.ts';
import type { GradingRun } from '../grading-run.ts';
import { buildCaps } from '../plan/caps.ts';
import { buildEnv } from '../plan/build-env.ts';
import { resolveBuild } from '../plan/resolve-start.ts';
import { recordEgress, type Workspace } from './install.ts';
import type { PhaseSuccess } from './phase-recorder.ts';
import { observeLimits } from '../security/limit-findings.ts';
import { assertStepSucceeded, truncatedFlag } from './step-outcome.ts';

/** The toolchain's build step (a compile, a bundle), when the submission has one. */
export async function build(run: GradingRun, workspace: Workspace): Promise<PhaseSuccess<void>> {
  const { manifest } = run;
  const overrides = run.request.overrides ?? {};
  const step = resolveBuild({ override: overrides.build ?? null, manifest: manifest.submission.build ?? null, plan: workspace.commands });
  if (!step) return { value: undefined, message: 'no build step; nothing to build' };
  const result = await workspace.job.runBuildStep({
    cmd: step.cmd,
    env: buildEnv(workspace.toolchain, {
      caches: workspace.caches,
      caPath: workspace.submission.caBundlePath ? CA_PATH : null,
      extra: { NODE_ENV: manifest.runtime.env.NODE_ENV ?? 'production' },
    }),
    caps: buildCaps(manifest),
    deadlineMs: manifest.deadlines.build * 1000,
    network: true,
    caches: workspace.caches.map(({ volume, target }) => ({ volume, target })),
  });
  recordEgress(run, workspace.job, 'build', result);
  observeLimits(run.facts.limits, 'build', result.exit.limits);
  assertStepSucceeded(result, 'BUILD_FAILED', step.display, manifest.deadlines.build);
  return { value: undefined, message: `${step.display} exited 0`, log: result.log, flags: truncatedFlag(result.logTruncated) };
}
