/**
 * How much of a grading is the harness itself: grade the reference with a warm image and
 * caches (one warm-up grading first), then total wall time ÷ the time spent in the work
 * it exists to do (install + boot + check run time + load measurement and fixed waits).
 */
import { figure, gradeReference } from './support.ts';

await gradeReference();
const report = await gradeReference();
const phase = (name: string) => report.phases.find((p) => p.name === name)?.durationMs ?? 0;
for (const p of report.phases) figure(`phase_${p.name}_ms`, p.durationMs);
const checkWork = report.checks.reduce((sum, check) => sum + check.durationMs, 0);
const m = report.load?.measurement;
const loadWork = m ? (m.settings.warmupS + m.runs.reduce((sum, run) => sum + run.durationS, 0)) * 1000 : 0;
const useful = phase('install') + phase('build') + checkWork + loadWork;
figure('total_ms', report.durationMs);
figure('check_run_time_ms', checkWork);
figure('load_measured_ms', loadWork);
figure('overhead_ratio', report.durationMs / useful);

// The checks phase's critical path: the instance lanes of the timeline, merged. With
// parallel instances the phase is as long as its busiest stretch, not the sum of lanes.
const lanes = report.resources.filter((lane) => lane.launchedAt !== undefined && lane.stoppedAt !== undefined && lane.instance !== 'load instance');
const laneMs = lanes.map((lane) => (lane.stoppedAt ?? 0) - (lane.launchedAt ?? 0));
const longest = lanes[laneMs.indexOf(Math.max(...laneMs))];
figure('check_instances', lanes.length);
figure('instance_lane_sum_ms', laneMs.reduce((a, b) => a + b, 0));
figure('longest_instance_ms', Math.max(...laneMs));
figure('longest_instance', longest?.instance ?? '-');
figure('parallelism_achieved', (laneMs.reduce((a, b) => a + b, 0) / Math.max(1, phase('checks'))).toFixed(2));
figure('load_runs', m ? `${m.runs.length} (${m.stopReason})` : '-');
