import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { connect, createServer, type AddressInfo, type Socket } from 'node:net';
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
import { queueStatus, type QueueStatus } from '../../harness/queue/queue-status.ts';
import { connectRuntime } from '../../sandbox/docker/docker-runtime.ts';
import { reapLeftovers } from '../../sandbox/reaper.ts';
import { FIXTURES, REFERENCE } from '../support/grade-fixture.ts';
import { alive, objectsOf, startRedis, startWorker, stopWorkers, until, verdictsOf, workerLog, workerNamed, type RedisProcess, type WorkerProcess } from '../../bench/queue-cluster.ts';
import { GRADER_BIN } from '../support/run-cli.ts';

const QUICK = path.join(PACKAGE_ROOT, 'test/fixtures/assignments/quick');
const LEASE_S = 15;
const SUBMISSIONS = { reference: REFERENCE, 'broken-install': path.join(FIXTURES, 'broken-install'), 'trivial-server': path.join(FIXTURES, 'trivial-server') };

describe('queue and workers (real Redis, real Docker)', () => {
  let redis: RedisProcess | null = null;
  let redisUrl = '';
  const workers: WorkerProcess[] = [];

  beforeAll(async () => {
    // Fails the run loudly: a skipped test would pass a CI that never ran it.
    const engine = await connectRuntime().probe();
    if (!engine.reachable) throw new Error(`the queue tests need a Docker engine: ${engine.error}`);
    redis = await startRedis();
    redisUrl = redis.url;
  });

  afterAll(async () => {
    await stopWorkers(workers);
    redis?.stop();
  });

  it('grades every submission once across two workers, a SIGKILLed worker\'s job retried within the lease, as serial grading does', { timeout: 420_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tg-queue-'));
    const engines = path.join(dir, 'engines.yaml');
    // One slot per worker: two gradings at once on this small machine.
    await writeFile(engines, 'engines:\n  - { name: host, host: "unix:///var/run/docker.sock", slots: 1 }\n');
    const queueName = `test-${process.pid}`;
    const common = ['--redis', redisUrl, '--queue', queueName];
    const addJobs = async (sources: string[]) => {
      const add = await execa('node', [GRADER_BIN, 'queue', 'add', ...sources, '--assignment', QUICK, '--json', ...common], { reject: false, cwd: PACKAGE_ROOT });
      expect(add.exitCode, add.stderr).toBe(0);
      return JSON.parse(add.stdout) as Array<{ candidate: string; key: string; outcome: string }>;
    };

    for (const name of ['a', 'b']) workers.push(startWorker(['--engines', engines, ...common, '--lease', String(LEASE_S), '--log', path.join(dir, `worker-${name}.log`)]));
    const queue = gradingQueue(redisUrl, queueName);
    try {
      // The fast ones first, one per worker; then the reference, so the survivor of the kill
      // has its slot free and the retry time measures the lease, not a queue.
      const fast = await addJobs([SUBMISSIONS['broken-install'], SUBMISSIONS['trivial-server']]);
      expect(fast.map((job) => job.outcome)).toEqual(['queued', 'queued']);
      await until('the fast ones to finish', 180_000, async () => (await queueStatus(queue)).done.length === 2);
      const [reference] = await addJobs([SUBMISSIONS.reference]);
      expect(reference?.outcome).toBe('queued');
      const referenceKey = reference?.key ?? '';
      // Kill the worker grading the reference once its containers are up (install or later).
      const victim = await until('the reference to be installing', 120_000, async () => {
        const status = await queueStatus(queue);
        const running = status.running.find((job) => job.key === referenceKey);
        if (!running?.phase || ['waiting-for-engine', 'prepare', 'fetch'].includes(running.phase)) return null;
        return workerNamed(workers, running.worker);
      });
      const survivor = workers.find((worker) => worker !== victim) as WorkerProcess;
      const victimPid = victim.child.pid as number;
      // Its containers exist (the point of the kill is that someone must reap them).
      await until('the victim\'s containers', 60_000, async () => (await objectsOf([victimPid])).length > 0);
      victim.child.kill('SIGKILL');
      const killedAt = Date.now();

      const retried = await until('the reference to be picked up again', (LEASE_S + 20) * 1000, async () => survivor.lines.find((line) => line.at >= killedAt && line.text.includes(`picked reference ${referenceKey}`)));
      const retryS = (retried.at - killedAt) / 1000;
      expect(retryS).toBeLessThanOrEqual(LEASE_S + 10);

      const final = await until<QueueStatus>('every job to finish', 300_000, async () => {
        const status = await queueStatus(queue);
        return status.done.length + status.failed.length === 3 ? status : null;
      });
      expect(final.failed).toEqual([]);
      expect(final.done.map((job) => job.candidate).sort()).toEqual(['broken-install', 'reference', 'trivial-server']);
      expect(final.done.find((job) => job.key === referenceKey)?.attempt).toBeGreaterThanOrEqual(2);
      // Each grading finished once: one "done" line per job across both workers.
      const doneLines = workers.flatMap((worker) => worker.lines.filter((line) => / done /.test(line.text)).map((line) => line.text.split(' ')[2]));
      expect(doneLines.sort()).toEqual(['broken-install', 'reference', 'trivial-server']);

      // The same submission again answers with the stored result.
      const again = await execa('node', [GRADER_BIN, 'queue', 'add', REFERENCE, '--assignment', QUICK, '--json', ...common], { reject: false, cwd: PACKAGE_ROOT });
      expect((JSON.parse(again.stdout) as Array<{ outcome: string }>)[0]?.outcome).toBe('stored-result');

      const out = path.join(dir, 'results');
      const collected = await execa('node', [GRADER_BIN, 'queue', 'results', out, ...common], { reject: false, cwd: PACKAGE_ROOT });
      expect(collected.stdout).toMatch(/^3 jobs: 3 reports written, 0 unchanged, 0 without a report/);
      expect((await readdir(out)).sort()).toEqual(['broken-install', 'reference', 'summary.csv', 'summary.md', 'trivial-server']);
      const queued: Record<string, Report> = {};
      for (const name of Object.keys(SUBMISSIONS)) queued[name] = JSON.parse(await readFile(path.join(out, name, 'report.json'), 'utf8')) as Report;

      // The killed worker's containers are reaped by the survivor's engine check (every lease).
      await until('the killed worker\'s objects to be reaped', (LEASE_S + 10) * 1000, async () => (await objectsOf([victimPid])).length === 0);

      // Serial grading of the same submissions gives the same verdicts.
      const assignment = await loadAssignment(QUICK);
      for (const [name, source] of Object.entries(SUBMISSIONS)) {
        const serial = await gradeSubmission({ source, ref: null, assignment }, { runtime: connectRuntime(), logger: pino({ level: 'silent' }) });
        expect(verdictsOf(queued[name] as Report), name).toEqual(verdictsOf(serial));
      }
      survivor.child.kill('SIGTERM');
      await new Promise((resolve) => (alive(survivor.child) ? survivor.child.once('exit', resolve) : resolve(null)));
      expect(await objectsOf(workers.map((worker) => worker.child.pid as number))).toEqual([]);
      process.stdout.write(`queue-workers: retry ${retryS.toFixed(1)} s after SIGKILL (lease ${LEASE_S} s); 0 lost, 0 duplicated\n`);
    } catch (error) {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.stderr.write(workerLog(workers));
      throw error;
    } finally {
      await queue.close();
    }
  });
  it('retries a grading whose engine fails mid-way on the other engine of the pool', { timeout: 300_000 }, async () => {
    // "flaky" is the host engine behind a loopback proxy the test cuts once the grading is under way.
    const sockets = new Set<Socket>();
    const proxy = createServer((client) => {
      const upstream = connect('/var/run/docker.sock');
      sockets.add(client).add(upstream);
      client.pipe(upstream).pipe(client);
      const drop = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on('error', drop).on('close', drop);
      upstream.on('error', drop).on('close', drop);
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const proxyPort = (proxy.address() as AddressInfo).port;
    const dir = await mkdtemp(path.join(tmpdir(), 'tg-queue-'));
    const engines = path.join(dir, 'engines.yaml');
    await writeFile(engines, `engines:\n  - { name: flaky, host: "tcp://127.0.0.1:${proxyPort}", slots: 1 }\n  - { name: host, host: "unix:///var/run/docker.sock", slots: 1 }\n`);
    const common = ['--redis', redisUrl, '--queue', `engine-${process.pid}`];
    const worker = startWorker(['--engines', engines, ...common, '--lease', String(LEASE_S), '--log', path.join(dir, 'worker.log')]);
    workers.push(worker);
    const queue = gradingQueue(redisUrl, `engine-${process.pid}`);
    try {
      const add = await execa('node', [GRADER_BIN, 'queue', 'add', SUBMISSIONS['trivial-server'], '--assignment', QUICK, '--json', ...common], { reject: false, cwd: PACKAGE_ROOT });
      expect(add.exitCode, add.stderr).toBe(0);
      await until('the grading to start on flaky', 120_000, async () => {
        const running = (await queueStatus(queue)).running[0];
        return running?.engine === 'flaky' && running.phase !== null && !['waiting-for-engine', 'prepare', 'fetch'].includes(running.phase);
      });
      proxy.close();
      for (const socket of sockets) socket.destroy();
      const final = await until<QueueStatus>('the job to finish', 240_000, async () => {
        const status = await queueStatus(queue);
        return status.done.length + status.failed.length === 1 ? status : null;
      });
      expect(final.failed).toEqual([]);
      expect(final.done[0]).toMatchObject({ engine: 'host', gradable: true, attempt: 2 });
      expect(worker.lines.some((line) => /retry trivial-server .*engine flaky/.test(line.text))).toBe(true);
      expect(worker.lines.some((line) => /engine flaky: UNREACHABLE/.test(line.text))).toBe(true);
    } catch (error) {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${worker.lines.map((line) => `  ${line.text}`).join('\n')}\n`);
      throw error;
    } finally {
      await queue.close();
      proxy.close();
      worker.child.kill('SIGTERM');
      await new Promise((resolve) => (alive(worker.child) ? worker.child.once('exit', resolve) : resolve(null)));
      // What the cut engine could not remove belongs to a process now gone: the reaper takes it.
      await reapLeftovers(connectRuntime());
      expect(await objectsOf([worker.child.pid as number])).toEqual([]);
    }
  });

  it('grader batch --queue grades a roster through the queue, shows progress and writes the batch folder', { timeout: 300_000 }, async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tg-queue-batch-'));
    const engines = path.join(dir, 'engines.yaml');
    await writeFile(engines, 'engines:\n  - { name: host, host: "unix:///var/run/docker.sock", slots: 2 }\n');
    const roster = path.join(dir, 'roster.csv');
    await writeFile(roster, `candidate,source\nana,${SUBMISSIONS['trivial-server']}\nbo,${SUBMISSIONS['broken-install']}\n`);
    const name = `batch-${process.pid}`;
    const worker = startWorker(['--engines', engines, '--redis', redisUrl, '--queue', name, '--log', path.join(dir, 'worker.log')]);
    workers.push(worker);
    try {
      const out = path.join(dir, 'out');
      const batch = await execa('node', [GRADER_BIN, 'batch', roster, '--assignment', QUICK, '--queue', name, '--redis', redisUrl, '--out', out], { reject: false, cwd: PACKAGE_ROOT, timeout: 240_000 });
      // bo's install fails (the candidate's fault): still a gradable report, so exit 0.
      expect(batch.exitCode, batch.stderr).toBe(0);
      expect(batch.stdout).toMatch(/^2 rows via the queue, 0 without a gradable report/);
      expect(batch.stderr).toMatch(/ana: (install|start|checks)/);
      expect(batch.stderr).toMatch(/ana: done \d+\/\d+/);
      expect(batch.stderr).toMatch(/bo: done/);
      expect((await readdir(out)).sort()).toEqual(['ana', 'bo', 'summary.csv', 'summary.md']);
      const report = JSON.parse(await readFile(path.join(out, 'bo', 'report.json'), 'utf8')) as Report;
      expect(report.phases.find((phase) => phase.name === 'install')?.code).toBe('INSTALL_FAILED');
      // Again: both answered from the queue's store, nothing graded twice.
      const again = await execa('node', [GRADER_BIN, 'batch', roster, '--assignment', QUICK, '--queue', name, '--redis', redisUrl, '--out', out], { reject: false, cwd: PACKAGE_ROOT, timeout: 60_000 });
      expect(again.exitCode, again.stderr).toBe(0);
      expect(worker.lines.filter((line) => / done /.test(line.text))).toHaveLength(2);
    } catch (error) {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n${worker.lines.map((line) => `  ${line.text}`).join('\n')}\n`);
      throw error;
    } finally {
      worker.child.kill('SIGTERM');
      await new Promise((resolve) => (alive(worker.child) ? worker.child.once('exit', resolve) : resolve(null)));
    }
  });
});
