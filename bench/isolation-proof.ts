/**
 * The proof that sharing instances by need changes no verdict: grades every subject of an
 * assignment's matrix (reference, mutants, variants) once with every check on its own
 * instance and once sharing by need, and prints each check whose status differs, with the
 * instances each mode started and the median checks phase. Slow (two full matrices): not
 * part of `npm run bench`; run with `npx tsx bench/isolation-proof.ts [assignment]`.
 */
import pino from 'pino';
import type { Report } from '../core/report.ts';
import { loadAssignment } from '../harness/assignment/load-assignment.ts';
import { validateAssignment } from '../harness/assignment/validate-assignment.ts';
import type { SharingMode } from '../harness/plan/instance-runs.ts';
import { connectRuntime } from '../sandbox/docker/docker-runtime.ts';
import { figure } from './support.ts';

const assignment = await loadAssignment(process.argv[2] ?? 'rate-limited-items');
const deps = { runtime: connectRuntime(), logger: pino({ level: 'silent' }) };
const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN;
};

const byMode = new Map<SharingMode, Map<string, Report>>();
for (const sharing of ['all-fresh', 'by-need'] as const) {
  const rows = await validateAssignment(assignment, deps, { sharing });
  byMode.set(sharing, new Map(rows.map((row) => [`${row.subject.kind} ${row.subject.id}`, row.report])));
  const reports = rows.map((row) => row.report);
  figure(`${sharing}_subjects`, rows.length);
  figure(`${sharing}_proof_problems`, rows.reduce((sum, row) => sum + row.problems.length, 0));
  figure(`${sharing}_instances_per_grading`, median(reports.map((report) => new Set(report.checks.map((check) => check.instance).filter(Boolean)).size)));
  figure(`${sharing}_checks_phase_median_s`, median(reports.map((report) => (report.phases.find((phase) => phase.name === 'checks')?.durationMs ?? Number.NaN) / 1000)));
}

const fresh = byMode.get('all-fresh') ?? new Map<string, Report>();
const shared = byMode.get('by-need') ?? new Map<string, Report>();
const differences: string[] = [];
for (const [subject, report] of fresh) {
  const other = new Map((shared.get(subject)?.checks ?? []).map((check) => [check.id, check.status]));
  for (const check of report.checks) {
    if (other.get(check.id) !== check.status) differences.push(`${subject}: ${check.id} all-fresh=${check.status} by-need=${other.get(check.id) ?? 'missing'}`);
  }
}
for (const line of differences) process.stdout.write(`difference: ${line}\n`);
figure('verdict_differences', differences.length);
