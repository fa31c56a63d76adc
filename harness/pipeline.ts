import type { Report } from '../core/report.ts';
import { proberBundle } from '../graders/prober/build-bundle.ts';
import { referenceBaseline } from './baseline/reference-baseline.ts';
import { GradingRun, type GradeDeps, type GradeRequest } from './grading-run.ts';
import { assembleReport } from './phases/assemble-report.ts';
import { build } from './phases/build.ts';
import { runChecks } from './phases/checks.ts';
import { fetchSource } from './phases/fetch.ts';
import { install } from './phases/install.ts';
import { runLoad } from './phases/load.ts';
import { PipelineStopped } from './phases/phase-recorder.ts';
import { prepare } from './phases/prepare.ts';
import { readRepo } from './phases/repo.ts';
import { start } from './phases/start.ts';
import { sharingMachine } from './phases/machine-slot.ts';
import { planGrading } from './plan/plan-grading.ts';

export type { GradeDeps, GradeRequest } from './grading-run.ts';

/**
 * Grades one submission:
 *
 *   prepare → fetch → install → build → repo → start → checks → load → report
 *
 * Each phase is a module under phases/ with a typed input and output, timed and recorded
 * by one recorder. A failed phase stops the sequence and the rest are marked skipped; the
 * report is assembled whatever happened, and nothing is left in the engine.
 */
export async function gradeSubmission(request: GradeRequest, deps: GradeDeps): Promise<Report> {
  // What runs is decided from the assignment before any clock starts: an author's mistake
  // is a one-line error, with no deadline timer left holding the process open.
  const plan = await planGrading(request.assignment, request.sharing);
  const bundle = await proberBundle(plan.customCheckFiles);
  const run = new GradingRun(request, deps, plan);
  try {
    const prepared = await run.phase('prepare', () => prepare(run));
    const fetched = await run.phase('fetch', () => fetchSource(run));
    // Installs, builds and the candidate's own tests share the machine with other gradings,
    // never with a load probe (sharingMachine), so no measurement runs beside a build.
    const workspace = await run.phase('install', () => sharingMachine(run, () => install(run, prepared, fetched)));
    await run.phase('build', () => sharingMachine(run, () => build(run, workspace)));
    await run.phase('repo', () => sharingMachine(run, () => readRepo(run, workspace)));
    const started = await run.phase('start', () => sharingMachine(run, () => start(run, workspace, bundle)));
    await run.phase('checks', () => runChecks(run, started, prepared));
    await run.phase('load', () => runLoad(run, started.instances, referenceBaseline(run, bundle)));
  } catch (error) {
    if (!(error instanceof PipelineStopped)) throw error;
    run.log.info({ reason: error.message }, 'pipeline stopped');
  } finally {
    await run.close();
  }
  return assembleReport(run);
}
