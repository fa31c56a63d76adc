/**
 * Timing checks under parallel instances: grades the reference and every mutant that must
 * fail a rate-limit check RUNS times (default 10), through the validate matrix (3 gradings
 * at once, as `assignment validate` runs them), and prints every check whose verdict
 * changed between repeats. The load probe is left out: it judges no window. Slow; not part
 * of `npm run bench`: `npx tsx bench/flip-repeats.ts [assignment]`.
 */
import pino from 'pino';
import { loadAssignment } from '../harness/assignment/load-assignment.ts';
import { validateAssignment } from '../harness/assignment/validate-assignment.ts';
import { connectRuntime } from '../sandbox/docker/docker-runtime.ts';
import { figure } from './support.ts';

const runs = Number(process.env.RUNS ?? 10);
const assignment = await loadAssignment(process.argv[2] ?? 'rate-limited-items');
const deps = { runtime: connectRuntime(), logger: pino({ level: 'silent' }) };
const statuses = new Map<string, Set<string>>();
let gradings = 0;
let proofProblems = 0;
const started = performance.now();
for (let i = 0; i < runs; i += 1) {
  const rows = await validateAssignment(assignment, deps, {
    manifestPatch: { load: { enabled: false } },
    only: (subject) => subject.kind === 'reference' || (subject.kind === 'mutant' && subject.mustFail.some((id) => id.startsWith('rate_limit.'))),
  });
  for (const row of rows) {
    gradings += 1;
    proofProblems += row.problems.length;
    for (const problem of row.problems) process.stdout.write(`repeat ${i + 1}: ${row.subject.id}: ${problem}\n`);
    for (const check of row.report.checks) {
      const key = `${row.subject.id} ${check.id}`;
      statuses.set(key, (statuses.get(key) ?? new Set()).add(check.status));
    }
  }
  figure(`repeat_${i + 1}_subjects`, rows.length);
  // So far, so a run cut short still says what it saw.
  figure(`after_repeat_${i + 1}_flips`, [...statuses.values()].filter((seen) => seen.size > 1).length);
}
const flips = [...statuses].filter(([, seen]) => seen.size > 1);
for (const [key, seen] of flips) process.stdout.write(`flip: ${key}: ${[...seen].join(' / ')}\n`);
figure('gradings', gradings);
figure('proof_problems', proofProblems);
figure('verdict_flips', flips.length);
figure('minutes', (performance.now() - started) / 60000);
