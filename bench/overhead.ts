/**
 * How much of a grading is the harness itself: grade the reference with a warm image and
 * caches (one warm-up grading first, then RUNS measured, default 3), and print each
 * figure's median: total wall time, the phases, and total ÷ the time spent in the work the
 * harness exists to do (install + build + check run time + load measurement and warm-up).
 */
import type { Report } from '../core/report.ts';
import { figure, gradeReference } from './support.ts';

const runs = Number(process.env.RUNS ?? 3);
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

interface Figures {
  phases: Record<string, number>;
  total: number;
  checkWork: number;
  loadWork: number;
  ratio: number;
  instances: number;
  laneSum: number;
  longest: number;
  loadRuns: number;
}

function figuresOf(report: Report): Figures {
  const phases = Object.fromEntries(report.phases.map((p) => [p.name, p.durationMs]));
  const checkWork = report.checks.reduce((sum, check) => sum + check.durationMs, 0);
  const m = report.load?.measurement;
  const loadWork = m ? (m.settings.warmupS + m.runs.reduce((sum, run) => sum + run.durationS, 0)) * 1000 : 0;
  const useful = (phases.install ?? 0) + (phases.build ?? 0) + checkWork + loadWork;
  // The checks phase's lanes: with parallel instances the phase lasts as long as its
  // busiest stretch, not the sum of its instances.
  const lanes = report.resources.filter((lane) => lane.launchedAt !== undefined && lane.stoppedAt !== undefined && lane.instance !== 'load instance');
  const laneMs = lanes.map((lane) => (lane.stoppedAt ?? 0) - (lane.launchedAt ?? 0));
  return {
    phases,
    total: report.durationMs,
    checkWork,
    loadWork,
    ratio: report.durationMs / useful,
    instances: lanes.length,
    laneSum: laneMs.reduce((a, b) => a + b, 0),
    longest: Math.max(...laneMs),
    loadRuns: m?.runs.length ?? 0,
  };
}

await gradeReference();
const measured: Figures[] = [];
for (let i = 0; i < runs; i += 1) measured.push(figuresOf(await gradeReference()));
const med = (pick: (f: Figures) => number) => median(measured.map(pick));
for (const name of Object.keys(measured[0]?.phases ?? {})) figure(`phase_${name}_ms`, med((f) => f.phases[name] ?? 0));
figure('runs', runs);
figure('total_ms', med((f) => f.total));
figure('total_ms_each', measured.map((f) => f.total).join(' '));
figure('check_run_time_ms', med((f) => f.checkWork));
figure('load_measured_ms', med((f) => f.loadWork));
figure('load_runs_each', measured.map((f) => f.loadRuns).join(' '));
figure('overhead_ratio', med((f) => f.ratio));
figure('check_instances', med((f) => f.instances));
figure('instance_lane_sum_ms', med((f) => f.laneSum));
figure('longest_instance_ms', med((f) => f.longest));
figure('parallelism_achieved', med((f) => f.laneSum / Math.max(1, f.phases.checks ?? 1)));
