/**
 * Batch speed-up: N copies of the reference graded one after another, then as one batch
 * (`grader batch`'s path, default concurrency). Prints serial and batch wall times and
 * their ratio. The load probe holds the machine alone (nothing else runs during a
 * measurement), so the ratio is bounded by total ÷ load-probe time per grading.
 *   COPIES=10 CONCURRENCY=3 npx tsx bench/batch.ts
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { loadAssignment } from '../harness/assignment/load-assignment.ts';
import { runBatch } from '../harness/batch/run-batch.ts';
import { connectRuntime } from '../sandbox/docker/docker-runtime.ts';
import { figure, REFERENCE } from './support.ts';

const copies = Number(process.env.COPIES ?? 10);
const concurrency = Number(process.env.CONCURRENCY ?? availableParallelism());
const deps = { runtime: connectRuntime(), logger: pino({ level: 'silent' }) };
const assignment = await loadAssignment();

async function timedBatch(workers: number): Promise<{ seconds: number; loadSeconds: number }> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tg-bench-batch-'));
  const roster = path.join(dir, 'roster.csv');
  await writeFile(roster, ['candidate,source', ...Array.from({ length: copies }, (_, i) => `copy-${i + 1},${REFERENCE}`)].join('\n'));
  const started = performance.now();
  const rows = await runBatch({ rosterFile: roster, outDir: path.join(dir, 'out'), assignment, concurrency: workers, skipInvalid: false, onEvent: () => undefined }, deps);
  const seconds = (performance.now() - started) / 1000;
  const { readFile } = await import('node:fs/promises');
  let loadSeconds = 0;
  for (let i = 1; i <= copies; i += 1) {
    const report = JSON.parse(await readFile(path.join(dir, 'out', `copy-${i}`, 'report.json'), 'utf8')) as { phases: Array<{ name: string; durationMs: number }> };
    loadSeconds += (report.phases.find((phase) => phase.name === 'load')?.durationMs ?? 0) / 1000;
  }
  if (rows.length !== copies) throw new Error(`expected ${copies} rows, got ${rows.length}`);
  return { seconds, loadSeconds };
}

const serial = await timedBatch(1);
const batch = await timedBatch(concurrency);
figure('copies', copies);
figure('concurrency', concurrency);
figure('serial_s', serial.seconds);
figure('batch_s', batch.seconds);
figure('speedup', serial.seconds / batch.seconds);
figure('load_phase_s_total_serial', serial.loadSeconds);
figure('bound_total_over_exclusive', serial.seconds / serial.loadSeconds);
