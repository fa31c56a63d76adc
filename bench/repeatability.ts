/** Grades the reference N times (default 5): p95 max/min and whether any verdict changed. */
import { figure, gradeReference } from './support.ts';

const runs = Number(process.env.RUNS ?? 5);
const p95s: number[] = [];
const verdicts: string[] = [];
for (let i = 0; i < runs; i += 1) {
  const report = await gradeReference();
  p95s.push(report.load?.measurement.median.latencyMs.p95 ?? Number.NaN);
  verdicts.push(report.checks.map((check) => `${check.id}=${check.status}`).join(','));
  figure(`run_${i + 1}_p95_ms`, p95s[i] ?? Number.NaN);
}
figure('p95_max_over_min', Math.max(...p95s) / Math.min(...p95s));
figure('verdict_changes', new Set(verdicts).size - 1);
