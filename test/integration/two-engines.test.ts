import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Report } from '../../core/report.ts';
import { loadAssignment } from '../../harness/assignment/load-assignment.ts';
import { PACKAGE_ROOT } from '../../harness/paths.ts';
import { gradeSubmission } from '../../harness/pipeline.ts';
import { gradingQueue } from '../../harness/queue/grading-queue.ts';
import { queueStatus } from '../../harness/queue/queue-status.ts';
import { connectEngine } from '../../sandbox/docker/connect-engine.ts';
import { connectRuntime } from '../../sandbox/docker/docker-runtime.ts';
import { reapLeftovers } from '../../sandbox/reaper.ts';
import { FIXTURES, REFERENCE } from '../support/grade-fixture.ts';
import { HOST_ENGINE, objectsOnEngines, startRedis, startWorker, stopWorkers, until, verdictsOf, workerLog, workerNamed, type RedisProcess, type WorkerProcess } from '../../bench/queue-cluster.ts';
import { GRADER_BIN } from '../support/run-cli.ts';

/**
 * The pool for real on one machine: the host's engine and a second dockerd in a network
 * namespace of its own (scripts/second-engine.sh), started here with no images; a real
 * Redis; two workers, each with a slot on both engines; a roster of mixed verdicts in four
 * languages through `grader batch --queue`, one worker SIGKILLed mid-run.
 */
const QUICK = path.join(PACKAGE_ROOT, 'test/fixtures/assignments/quick');
const VARIANTS = path.join(PACKAGE_ROOT, 'assignments/rate-limited-items/variants');
const SECOND_ENGINE = path.join(PACKAGE_ROOT, 'scripts/second-engine.sh');
const LEASE_S = 15;
const ROSTER: Record<string, string> = {
  reference: REFERENCE,
  'trivial-server': path.join(FIXTURES, 'trivial-server'),
  'broken-install': path.join(FIXTURES, 'broken-install'),
  'never-listens': path.join(FIXTURES, 'never-listens'),
  'express-fixed-window': path.join(VARIANTS, 'express-fixed-window'),
  'node-link-header': path.join(VARIANTS, 'node-link-header'),
  'go-nethttp': path.join(VARIANTS, 'go-nethttp'),
  'python-stdlib': path.join(VARIANTS, 'python-stdlib'),
};


describe('two engines, two workers, one roster (real Docker ×2, real Redis)', () => {
  let second = '';
  let redis: RedisProcess | null = null;
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    // Fails loudly: a skipped test would pass a CI that never ran it.
    const host = await connectRuntime().probe();
    if (!host.reachable) throw new Error(`needs the host's Docker engine: ${host.error}`);
    // From nothing: its images must come from the host's engine when first needed.
    await execa('bash', [SECOND_ENGINE, 'purge']);
    const started = await execa('bash', [SECOND_ENGINE, 'start'], { reject: false });
    if (started.exitCode !== 0) throw new Error(`scripts/second-engine.sh start failed: ${started.stderr}`);
    second = started.stdout.trim();
    redis = await startRedis();
  }, 120_000);

  afterAll(async () => {
    await stopWorkers(workers);
    redis?.stop();
    await execa('bash', [SECOND_ENGINE, 'stop'], { reject: false });
  }, 120_000);

  it('grades every row once across both engines with a worker killed mid-run, with the verdicts of serial grading', { timeout: 900_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tg-two-engines-'));
    const engines = path.join(dir, 'engines.yaml');
    await writeFile(engines, `engines:\n  - { name: host, host: "${HOST_ENGINE}", slots: 1 }\n  - { name: eng2, host: "${second}", slots: 1 }\n`);
    const roster = path.join(dir, 'roster.csv');
    await writeFile(roster, `candidate,source\n${Object.entries(ROSTER).map(([name, source]) => `${name},${source}`).join('\n')}\n`);
    const queueName = `two-engines-${process.pid}`;
    const redisUrl = redis?.url ?? '';
    for (const name of ['a', 'b']) workers.push(startWorker(['--engines', engines, '--redis', redisUrl, '--queue', queueName, '--lease', String(LEASE_S), '--log', path.join(dir, `worker-${name}.log`)]));
    const queue = gradingQueue(redisUrl, queueName);
    const out = path.join(dir, 'out');
    const batch = execa('node', [GRADER_BIN, 'batch', roster, '--assignment', QUICK, '--queue', queueName, '--redis', redisUrl, '--out', out], { reject: false, cwd: PACKAGE_ROOT, timeout: 840_000 });
    try {
      // The victim: a worker with gradings under way and containers up (someone must reap
      // them), on both engines if that comes within 20 s.
      const past = (phase: string | null) => phase !== null && !['waiting-for-engine', 'prepare', 'fetch'].includes(phase);
      const objectsOfPid = (pid: number) => objectsOnEngines(pid, [HOST_ENGINE, second]);
      let firstSeen = 0;
      const victim = await until('a worker with gradings under way', 300_000, async () => {
        const running = (await queueStatus(queue)).running.filter((job) => past(job.phase));
        const candidates: Array<{ worker: WorkerProcess; engines: number }> = [];
        for (const worker of workers) {
          const mine = running.filter((job) => workerNamed([worker], job.worker));
          if (mine.length > 0 && (await objectsOfPid(worker.child.pid as number)) > 0) candidates.push({ worker, engines: new Set(mine.map((job) => job.engine)).size });
        }
        if (candidates.length === 0) return null;
        firstSeen ||= Date.now();
        const both = candidates.find((candidate) => candidate.engines === 2);
        return (both ?? (Date.now() - firstSeen > 20_000 ? candidates[0] : undefined))?.worker;
      });
      const victimPid = victim.child.pid as number;
      victim.child.kill('SIGKILL');

      const finished = await batch;
      expect(finished.exitCode, `${finished.stderr}\n${workerLog(workers)}`).toBe(0);
      expect(finished.stdout).toMatch(/^8 rows via the queue/);
      expect((await readdir(out)).sort()).toEqual([...Object.keys(ROSTER), 'summary.csv', 'summary.md'].sort());

      // Each row has one stored result (the queue completes a job only under its current
      // lease), graded on one engine or the other, and both engines graded.
      const done = (await queueStatus(queue)).done;
      expect(done.map((job) => job.candidate).sort()).toEqual(Object.keys(ROSTER).sort());
      expect(new Set(done.map((job) => job.engine))).toEqual(new Set(['host', 'eng2']));
      // eng2 started with no images: they were loaded from the host's engine.
      const loaded = workers.flatMap((worker) => worker.lines.filter((line) => /engine eng2: image \S+ loaded from host/.test(line.text)).map((line) => line.text));
      expect(loaded.length).toBeGreaterThan(0);
      // What the killed worker left on either engine is reaped by the survivor within a lease.
      const survivor = workers.find((worker) => worker !== victim) as WorkerProcess;
      await until("the killed worker's objects to be reaped", (LEASE_S + 10) * 1000, async () => (await objectsOfPid(victimPid)) === 0);

      // The same verdicts as grading each submission alone on the host's engine.
      const assignment = await loadAssignment(QUICK);
      const differences: string[] = [];
      for (const [name, source] of Object.entries(ROSTER)) {
        const queued = JSON.parse(await readFile(path.join(out, name, 'report.json'), 'utf8')) as Report;
        const serial = await gradeSubmission({ source, ref: null, assignment }, { runtime: connectRuntime(), logger: pino({ level: 'silent' }) });
        if (JSON.stringify(verdictsOf(queued)) !== JSON.stringify(verdictsOf(serial))) differences.push(`${name}: queued ${JSON.stringify(verdictsOf(queued))} serial ${JSON.stringify(verdictsOf(serial))}`);
      }
      expect(differences).toEqual([]);
      expect(new Set(done.map((job) => job.score)).size, 'mixed verdicts').toBeGreaterThan(2);
      await stopWorkers([survivor]);
      process.stdout.write(`two-engines: ${done.length} reports, ${done.filter((job) => job.engine === 'eng2').length} on eng2; ${loaded.length} image(s) loaded into eng2; verdicts as serial\n`);
    } catch (error) {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${workerLog(workers)}`);
      throw error;
    } finally {
      batch.kill();
      await queue.close();
      await stopWorkers(workers);
      for (const engine of [HOST_ENGINE, second]) await reapLeftovers(connectEngine(engine)).catch(() => undefined);
    }
  });
});
