import { errorMessage } from '../../core/errors.ts';
import { resolveHelperImage, resolveProberImage, type SuiteRunner } from '../../sandbox/image/helper-image.ts';
import { reapLeftovers } from '../../sandbox/reaper.ts';
import type { ResolvedImage } from '../../sandbox/image/resolve-image.ts';
import type { GradingRun } from '../grading-run.ts';
import { cpusets } from '../plan/caps.ts';
import { PhaseFailure, type PhaseSuccess } from './phase-recorder.ts';

export interface Prepared {
  /** The harness's own image: keeper and prober run in it, never in the candidate's. */
  helperImage: ResolvedImage;
  /** Prober images with a suite runner beside node (python and pytest), for the suites that name one. */
  runnerImages: Partial<Record<SuiteRunner, string>>;
}

/** The engine answers, leftovers of crashed runs are gone, the harness's own image is there. */
export async function prepare(run: GradingRun): Promise<PhaseSuccess<Prepared>> {
  const { runtime } = run.deps;
  const engine = await runtime.probe();
  if (!engine.reachable) throw new PhaseFailure('HARNESS_ERROR', 'harness', `container engine not reachable at ${engine.endpoint}: ${engine.error}`);
  const reaped = await reapLeftovers(runtime);
  const helperImage = await run.clock.aside(() => resolveHelperImage(runtime)).catch((error: unknown) => {
    throw new PhaseFailure('HARNESS_ERROR', 'harness', errorMessage(error));
  });
  const runnerImages: Prepared['runnerImages'] = {};
  for (const runner of new Set(run.plan.suites.map((suite) => suite.spec.runner).filter((runner) => runner !== 'node'))) {
    const image = await run.clock.aside(() => resolveProberImage(runtime, runner)).catch((error: unknown) => {
      throw new PhaseFailure('HARNESS_ERROR', 'harness', errorMessage(error));
    });
    runnerImages[runner] = image.name;
  }
  run.facts.engine = { version: engine.version, ncpu: engine.ncpu, cpusets: cpusets(engine.ncpu) };
  const removed = reaped.containers + reaped.volumes + reaped.networks > 0
    ? `; removed ${reaped.containers} containers, ${reaped.volumes} volumes and ${reaped.networks} networks left by crashed runs`
    : '';
  return {
    value: { helperImage, runnerImages },
    message: `${runtime.kind} engine ${engine.version} (${engine.ncpu} CPUs), helper image ${helperImage.name}${removed}`,
  };
}
