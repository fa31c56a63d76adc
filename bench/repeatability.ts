/**
 * Grades the reference N times (default 5): p95 max/min and whether any verdict changed.
 * BESIDE=<hostile fixture> keeps grading that fixture (e.g. cpu-spin, fork-bomb) in a loop
 * at the same time, as another hiring team's batch would: the load probe's exclusivity and
 * calibration must keep the figures where they are alone.
 *   BESIDE=cpu-spin npx tsx bench/repeatability.ts
 */
import path from 'node:path';
import pino from 'pino';
import { loadAssignment } from '../harness/assignment/load-assignment.ts';
import { PACKAGE_ROOT } from '../harness/paths.ts';
import { gradeSubmission } from '../harness/pipeline.ts';
import { connectRuntime } from '../sandbox/docker/docker-runtime.ts';
import { figure, gradeReference } from './support.ts';

const runs = Number(process.env.RUNS ?? 5);
const beside = process.env.BESIDE;
let stopBeside = false;
let besideGradings = 0;
const besideLoop = beside
  ? (async () => {
      const assignment = await loadAssignment();
      const source = path.join(PACKAGE_ROOT, 'test/fixtures/hostile', beside);
      while (!stopBeside) {
        await gradeSubmission({ source, ref: null, assignment }, { runtime: connectRuntime(), logger: pino({ level: 'silent' }) });
        besideGradings += 1;
      }
    })()
  : Promise.resolve();
const p95s: number[] = [];
const verdicts: string[] = [];
for (let i = 0; i < runs; i += 1) {
  const report = await gradeReference();
  p95s.push(report.load?.measurement.median.latencyMs.p95 ?? Number.NaN);
  verdicts.push(report.checks.map((check) => `${check.id}=${check.status}`).join(','));
  figure(`run_${i + 1}_p95_ms`, p95s[i] ?? Number.NaN);
  figure(`run_${i + 1}_busy_machine`, report.load?.busyMachine ?? 'no');
}
stopBeside = true;
await besideLoop;
if (beside) figure('beside_gradings', `${besideGradings} of ${beside}`);
figure('p95_max_over_min', Math.max(...p95s) / Math.min(...p95s));
figure('verdict_changes', new Set(verdicts).size - 1);
// Which checks changed, so a flip can be traced to its check.
const perCheck = new Map<string, Set<string>>();
for (const run of verdicts) {
  for (const pair of run.split(',')) {
    const [id, status] = pair.split('=');
    if (id && status) perCheck.set(id, (perCheck.get(id) ?? new Set()).add(status));
  }
}
figure('flipping_checks', [...perCheck].filter(([, statuses]) => statuses.size > 1).map(([id]) => id).join(' ') || 'none');
