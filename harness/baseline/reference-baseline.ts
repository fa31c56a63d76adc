import path from 'node:path';
import type { LoadMeasurement } from '../../core/load.ts';
import type { LoadBaseline } from '../../graders/load/load-checks.ts';
import { GradingRun, type GradeDeps, type GradeRequest } from '../grading-run.ts';
import { build } from '../phases/build.ts';
import { fetchSource } from '../phases/fetch.ts';
import { install } from '../phases/install.ts';
import { loadSettings, measureInstance, type BaselineLookup } from '../phases/load.ts';
import { prepare } from '../phases/prepare.ts';
import { start } from '../phases/start.ts';
import type { GradingPlan } from '../plan/plan-grading.ts';
import { readBaseline, writeBaseline, type BaselineKey } from './baseline-cache.ts';

const figures = (m: LoadMeasurement, source: string): LoadBaseline => ({ rps: m.median.rps, p95: m.median.latencyMs.p95, source });

/**
 * The yardstick for a grading's load figures: the assignment's reference measured by the
 * same probe on this machine and image. Cached per (assignment version, image, settings,
 * CPUs); when the graded submission is the reference itself, its own figures are it.
 */
export function referenceBaseline(run: GradingRun, bundle: string): BaselineLookup {
  return async (own) => {
    const { request, manifest } = run;
    const key: BaselineKey = { assignment: `${manifest.id}@${manifest.version}`, imageId: run.facts.image?.id ?? 'unknown', settings: loadSettings(run), cpus: run.facts.engine?.ncpu ?? 1 };
    const referenceDir = path.resolve(request.assignment.dir, manifest.reference);
    if (path.resolve(run.facts.source?.root ?? '') === referenceDir) {
      const mine = figures(own, `the assignment's reference (${run.facts.toolchain?.toolchain.title ?? 'its toolchain'}) measured ${new Date().toISOString()}`);
      await writeBaseline(key, mine);
      return mine;
    }
    const baseline = (await readBaseline(key)) ?? (await measureReference({ ...request, source: referenceDir, ref: null, overrides: {} }, run.deps, run.plan, bundle));
    if (baseline) await writeBaseline(key, baseline);
    return baseline;
  };
}

/**
 * The reference through the grading phases that a load figure needs (no checks, no
 * report); null when any of them fails, and the verdicts then do without a ratio.
 */
async function measureReference(request: GradeRequest, deps: GradeDeps, plan: GradingPlan, bundle: string): Promise<LoadBaseline | null> {
  const run = new GradingRun(request, { runtime: deps.runtime, logger: deps.logger }, { ...plan, checks: [], suites: [], runs: [], memoryCheck: null, portCheck: null });
  try {
    const prepared = await run.phase('prepare', () => prepare(run));
    const fetched = await run.phase('fetch', () => fetchSource(run));
    const workspace = await run.phase('install', () => install(run, prepared, fetched));
    await run.phase('build', () => build(run, workspace));
    const started = await run.phase('start', () => start(run, workspace, bundle));
    await started.instances.discard(started.first);
    const measured = (await measureInstance(run, started.instances)).load?.measurement;
    // Said in the report: a Python or Go submission is compared with the reference's language, not its own.
    return measured ? figures(measured, `the assignment's reference (${run.facts.toolchain?.toolchain.title ?? 'its toolchain'}) measured ${new Date().toISOString()}`) : null;
  } catch (error) {
    run.log.warn({ err: error }, 'reference baseline not measured');
    return null;
  } finally {
    await run.close();
  }
}
