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
