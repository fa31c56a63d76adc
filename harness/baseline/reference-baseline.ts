import { stat } from 'node:fs/promises';
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
import { repoFiles } from '../../sandbox/toolchains/repo-files.ts';
import { loadVariants } from '../assignment/load-variants.ts';
import { chooseToolchain } from '../plan/choose-toolchain.ts';
import { readBaseline, writeBaseline, type BaselineKey } from './baseline-cache.ts';
import { serviceFamily } from './service-family.ts';

const figures = (m: LoadMeasurement, source: string, family: string | null): LoadBaseline => ({ rps: m.median.rps, p95: m.median.latencyMs.p95, source, family, comparable: true });

/** Files a family is read from, whichever toolchain the folder turns out to be. */
const FAMILY_FILES = ['package.json', 'requirements.txt', 'pyproject.toml', 'setup.py', 'Pipfile', 'go.mod', 'pom.xml', 'build.gradle', 'build.gradle.kts'];

interface Yardstick {
  /** "reference" or "variant <id>". */
  name: string;
  dir: string;
  family: string | null;
}

/**
 * The solutions a submission's throughput may be measured against: the reference, and
 * each variant graded under the same contract (no manifest settings of its own).
 */
async function yardsticks(assignment: GradeRequest['assignment']): Promise<Yardstick[]> {
  const familyOf = async (dir: string): Promise<string | null> => {
    const present = (await Promise.all(FAMILY_FILES.map(async (file) => ((await stat(path.join(dir, file)).catch(() => null))?.isFile() ? [file] : [])))).flat();
    const files = repoFiles(dir, present);
    const choice = chooseToolchain(files, { requested: null, imageAndStartGiven: false });
    return choice.toolchain ? serviceFamily(files, choice.toolchain.id) : null;
  };
  const referenceDir = path.resolve(assignment.dir, assignment.manifest.reference);
  const variants = await loadVariants(assignment).catch(() => []);
  const sameContract = variants.filter((variant) => JSON.stringify(variant.assignment.manifest) === JSON.stringify(assignment.manifest));
  return Promise.all([
    familyOf(referenceDir).then((family) => ({ name: 'reference', dir: referenceDir, family })),
    ...sameContract.map(async (variant) => ({ name: `variant ${variant.id}`, dir: path.resolve(variant.dir), family: await familyOf(variant.dir) })),
  ]);
}

/**
 * The yardstick for a grading's load figures: the solution of the submission's own web
 * framework family (the reference, or a variant of the assignment), measured by the same
 * probe on this machine and image. When none is of its family the reference is used and
 * the figures say they are not comparable: the ratio is information then, not a verdict.
 * Cached per (assignment version, solution, image, settings, CPUs); a submission that is
 * the chosen solution itself is its own yardstick.
 */
export function referenceBaseline(run: GradingRun, bundle: string): BaselineLookup {
  return async (own) => {
    const { request, manifest } = run;
    const candidates = await yardsticks(request.assignment);
    const ownFamily = run.facts.family;
    const match = candidates.find((candidate) => ownFamily !== null && candidate.family === ownFamily);
    const chosen = match ?? candidates[0]!;
    const comparable = match !== undefined || ownFamily === null;
    const key: BaselineKey = { assignment: `${manifest.id}@${manifest.version}`, solution: chosen.name, imageId: run.facts.image?.id ?? 'unknown', settings: loadSettings(run), cpus: run.facts.engine?.ncpu ?? 1 };
    const describe = `the assignment's ${chosen.name} (${chosen.family ?? run.facts.toolchain?.toolchain.title ?? 'its toolchain'})`;
    if (path.resolve(run.facts.source?.root ?? '') === chosen.dir) {
      const mine = figures(own, `${describe} measured ${new Date().toISOString()}`, chosen.family);
      await writeBaseline(key, mine);
      return mine;
    }
    const baseline = (await readBaseline(key)) ?? (await measureSolution({ ...request, source: chosen.dir, ref: null, overrides: {} }, run.deps, run.plan, bundle, describe, chosen.family));
    if (baseline) await writeBaseline(key, baseline);
    return baseline ? { ...baseline, comparable } : null;
  };
}

/**
 * A solution through the grading phases that a load figure needs (no checks, no
 * report); null when any of them fails, and the verdicts then do without a ratio.
 */
async function measureSolution(request: GradeRequest, deps: GradeDeps, plan: GradingPlan, bundle: string, describe: string, family: string | null): Promise<LoadBaseline | null> {
  const run = new GradingRun(request, { runtime: deps.runtime, logger: deps.logger }, { ...plan, checks: [], suites: [], runs: [], memoryCheck: null, portCheck: null });
  try {
    const prepared = await run.phase('prepare', () => prepare(run));
    const fetched = await run.phase('fetch', () => fetchSource(run));
    const workspace = await run.phase('install', () => install(run, prepared, fetched));
    await run.phase('build', () => build(run, workspace));
    const started = await run.phase('start', () => start(run, workspace, bundle));
    await started.instances.discard(started.first);
    const measured = (await measureInstance(run, started.instances)).load?.measurement;
    return measured ? figures(measured, `${describe} measured ${new Date().toISOString()}`, family) : null;
  } catch (error) {
    run.log.warn({ err: error }, 'reference baseline not measured');
    return null;
  } finally {
    await run.close();
  }
}
