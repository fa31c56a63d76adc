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
// Which checks changed, so a flip can be traced to its check.
const perCheck = new Map<string, Set<string>>();
for (const run of verdicts) {
  for (const pair of run.split(',')) {
    const [id, status] = pair.split('=');
    if (id && status) perCheck.set(id, (perCheck.get(id) ?? new Set()).add(status));
  }
}
figure('flipping_checks', [...perCheck].filter(([, statuses]) => statuses.size > 1).map(([id]) => id).join(' ') || 'none');
