/**
 * The prober's program (started by entry.ts, or by a bundle that adds custom checks). It shares only the candidate's network namespace,
 * reads its instructions from a file the harness copied in, and reports on stdout.
 * This file is bundled (with the checks) into one script; the candidate never sees it.
 */
import { readFile } from 'node:fs/promises';
import { findCheck } from '../catalogue.ts';
import type { CheckDefinition, CheckOutcome } from '../check.ts';
import { spreadForFixedBudget } from '../http/identity.ts';
import { ProbeClient } from '../http/probe-client.ts';
import { describeResult } from '../http/describe-result.ts';
import { createItem } from '../checks/pagination/seed-items.ts';
import { CollectionLost, TrackedCollection } from '../checks/pagination/tracked-collection.ts';
import { measureLoad } from '../load/measure-load.ts';
import type { LoadMeasurement } from '../../core/load.ts';
import { runSuite } from './run-suite.ts';
import { waitReady } from './wait-ready.ts';
import { proberInputSchema, type ProberInput, type ProberLine } from './protocol.ts';

function emit(line: ProberLine): void {
  process.stdout.write(`${JSON.stringify(line)}\n`);
}

async function runCheck(input: ProberInput, id: string, extra: readonly CheckDefinition[], collection: TrackedCollection): Promise<void> {
  const startedAt = Date.now();
  const started = performance.now();
  const check = extra.find((candidate) => candidate.id === id) ?? findCheck(id);
  const abort = new AbortController();
  const spread = spreadForFixedBudget(input.params, input.instance, input.nonce);
  const http = new ProbeClient(input.baseUrl, { signal: abort.signal, ...(spread ? { spread } : {}) });
  let outcome: CheckOutcome;
  if (!check) {
    outcome = { status: 'error', message: `the prober has no check "${id}"` };
  } else {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<CheckOutcome>((resolve) => {
      timer = setTimeout(() => {
        abort.abort();
        collection.markLost(`${id} was cut off after ${input.checkTimeoutMs} ms, possibly with creates in flight`);
        resolve({ status: 'fail', message: `the check did not finish within ${input.checkTimeoutMs} ms (the server is too slow or hung)` });
      }, input.checkTimeoutMs);
    });
    try {
      outcome = await Promise.race([
        check.run({ http, params: input.params, nonce: input.nonce, signal: abort.signal, collection }),
        timeout,
      ]);
    } catch (error) {
      if (error instanceof CollectionLost) {
        outcome = { status: 'not_run', message: `not run: ${error.message}, so what this instance holds is unknown` };
      } else {
        // A bug in a check is the harness's fault, never the candidate's.
        outcome = { status: 'error', message: `check crashed: ${error instanceof Error ? error.message : String(error)}` };
      }
    } finally {
      clearTimeout(timer);
    }
  }
  emit({
    type: 'check',
    id,
    status: outcome.status,
    message: outcome.message.slice(0, 4000),
    startedAt,
    durationMs: performance.now() - started,
    evidence: http.evidence,
    evidenceOmitted: http.evidenceOmitted,
  });
}

async function runLoad(input: ProberInput): Promise<void> {
  const http = new ProbeClient(input.baseUrl, { maxEvidence: 20 });
  const ctx = { http, params: input.params, nonce: input.nonce, signal: new AbortController().signal, collection: new TrackedCollection() };
  const seed = async (count: number): Promise<number> => {
    let created = 0;
    for (let start = 0; start < count; start += 25) {
      const batch = await Promise.all(Array.from({ length: Math.min(25, count - start) }, (_, i) => createItem(ctx, start + i + 1, start + i === 0)));
      const failed = batch.find((item) => !item.ok);
      if (failed && !failed.ok) throw new Error(`seeding stopped after ${created} items: ${failed.message}`);
      created += batch.length;
    }
    return created;
  };
  let measurement: LoadMeasurement | null = null;
  let problem: string | null = null;
  try {
    if (!input.load) throw new Error('no load settings');
    measurement = await measureLoad(input.baseUrl, input.load, seed, http, input.nonce);
  } catch (error) {
    problem = error instanceof Error ? error.message : String(error);
  }
  const health = await http.send({ method: 'GET', path: input.params.healthPath, note: 'health after the load' });
  const healthAfter = { ok: health.ok && health.status >= 200 && health.status < 300, detail: describeResult(health) };
  emit({ type: 'load', measurement, problem, healthAfter, evidence: http.evidence });
}

async function main(extra: readonly CheckDefinition[]): Promise<void> {
  const inputPath = process.argv[2];
  if (!inputPath) throw new Error('usage: prober <input.json>');
  let input = proberInputSchema.parse(JSON.parse(await readFile(inputPath, 'utf8')));
  const ready = await waitReady(input);
  emit({ type: 'ready', ...ready });
  if (ready.ready) {
    // Every later request goes where the server answered (it may listen on another port than $PORT).
    if (ready.port !== undefined) input = { ...input, baseUrl: `http://127.0.0.1:${ready.port}` };
    if (input.mode === 'load') await runLoad(input);
    else if (input.mode === 'suite') emit(await runSuite(input));
    else {
      // One record of created items per instance, shared by the checks that run on it in turn.
      const collection = new TrackedCollection();
      for (const id of input.checkIds) await runCheck(input, id, extra, collection);
    }
  }
  emit({ type: 'done' });
}

/** Runs the prober with the built-in checks plus `extra` (an assignment's own), then exits. */
export function runProber(extra: readonly CheckDefinition[] = []): void {
  main(extra).then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`prober failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(70);
    },
  );
}
