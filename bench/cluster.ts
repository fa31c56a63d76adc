/**
 * The pool's figures on this machine: a private redis-server, the host's engine and a second
 * dockerd in its own network namespace (scripts/second-engine.sh), `grader worker`
 * processes and `grader batch --queue`, as an operator runs them.
 *
 * 1. queue overhead: OVERHEAD_JOBS (default 4) fast submissions queued one at a time while
 *    a worker is idle; enqueue → picked up, median and max;
 * 2. serial: each of the ROWS submissions (12 of mixed verdicts, five languages) graded
 *    alone on the host's engine, then on the second (which also warms its images and
 *    caches, so the runs below compare engines, not cold caches);
 * 3. one engine: two workers with a slot each on the host's engine, the roster via
 *    `grader batch --queue`; wall time;
 * 4. two engines × 2 slots: two workers with a slot on each engine; wall time and the
 *    ratio to 3;
 * 5. the same with one worker SIGKILLed while it grades on both engines: seconds until its
 *    jobs are picked up again, reports lost, gradings finished twice, objects left in
 *    either engine, and verdicts that differ from serial grading.
 *
 * ASSIGNMENT (default the quick test assignment: no load probe, five checks) can name
 * another; with a load probe every grading's load phase holds the machine's load lock,
 * which both engines of this one machine share (loadLock: machine), as they share its CPUs.
 */
import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import pino from 'pino';
import type { Report } from '../core/report.ts';
import { loadAssignment } from '../harness/assignment/load-assignment.ts';
import { PACKAGE_ROOT } from '../harness/paths.ts';
import { gradeSubmission } from '../harness/pipeline.ts';
import { enqueue } from '../harness/queue/enqueue.ts';
import { gradingQueue } from '../harness/queue/grading-queue.ts';
import { jobPayloadSchema, jobResultSchema } from '../harness/queue/job-payload.ts';
import { queueStatus } from '../harness/queue/queue-status.ts';
import { connectEngine } from '../sandbox/docker/connect-engine.ts';
import { PeerImageRuntime } from '../sandbox/image/peer-image-runtime.ts';
import type { SandboxRuntime } from '../sandbox/runtime/sandbox-runtime.ts';
import { GRADER_BIN, HOST_ENGINE, objectsOnEngines, startRedis, startWorker, stopWorkers, until, verdictsOf, workerNamed, type WorkerProcess } from './queue-cluster.ts';
import { REFERENCE, figure } from './support.ts';

const LEASE_S = Number(process.env.LEASE_S ?? 15);
const OVERHEAD_JOBS = Number(process.env.OVERHEAD_JOBS ?? 4);
const ASSIGNMENT = process.env.ASSIGNMENT ?? path.join(PACKAGE_ROOT, 'test/fixtures/assignments/quick');
const FIXTURES = path.join(PACKAGE_ROOT, 'test/fixtures');
const VARIANTS = path.join(PACKAGE_ROOT, 'assignments/rate-limited-items/variants');
const ROWS: Record<string, string> = {
  reference: REFERENCE,
  'trivial-server': path.join(FIXTURES, 'trivial-server'),
  'broken-install': path.join(FIXTURES, 'broken-install'),
  'never-listens': path.join(FIXTURES, 'never-listens'),
  'express-fixed-window': path.join(VARIANTS, 'express-fixed-window'),
  'express-sliding-window': path.join(VARIANTS, 'express-sliding-window'),
  'fastify-token-bucket': path.join(VARIANTS, 'fastify-token-bucket'),
  'node-link-header': path.join(VARIANTS, 'node-link-header'),
  'typescript-build-step': path.join(VARIANTS, 'typescript-build-step'),
  'go-nethttp': path.join(VARIANTS, 'go-nethttp'),
  'python-stdlib': path.join(VARIANTS, 'python-stdlib'),
  'java-jdk': path.join(VARIANTS, 'java-jdk'),
};
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;
const verdicts = (report: Report) => JSON.stringify(verdictsOf(report));

async function main(): Promise<void> {
  const started = await execa('bash', [path.join(PACKAGE_ROOT, 'scripts/second-engine.sh'), 'start'], { reject: false });
  if (started.exitCode !== 0) throw new Error(`scripts/second-engine.sh start: ${started.stderr}`);
  const second = started.stdout.trim();
  const redis = await startRedis();
  const dir = await mkdtemp(path.join(tmpdir(), 'tg-cluster-'));
  const assignment = await loadAssignment(ASSIGNMENT);
  const workers: WorkerProcess[] = [];
  let runs = 0;
  const pool = async (entries: Array<[string, string]>) => {
    const file = path.join(dir, `pool-${(runs += 1)}.yaml`);
    await writeFile(file, `engines:\n${entries.map(([name, host]) => `  - { name: ${name}, host: "${host}", slots: 1 }`).join('\n')}\n`);
    return file;
  };
  const startWorkers = async (poolFile: string, queue: string) => {
    const started = ['a', 'b'].map((name) => startWorker(['--engines', poolFile, '--redis', redis.url, '--queue', queue, '--lease', String(LEASE_S), '--log', path.join(dir, `${queue}-${name}.log`)]));
    workers.push(...started);
    await until('both workers', 30_000, async () => started.every((worker) => worker.lines.some((line) => line.text.startsWith('worker '))));
    return started;
  };
  const roster = path.join(dir, 'roster.csv');
  await writeFile(roster, `candidate,source\n${Object.entries(ROWS).map(([name, source]) => `${name},${source}`).join('\n')}\n`);
  const batch = (queue: string, out: string) => execa('node', [GRADER_BIN, 'batch', roster, '--assignment', ASSIGNMENT, '--queue', queue, '--redis', redis.url, '--out', out], { reject: false, cwd: PACKAGE_ROOT });
  try {
    // 1. Overhead: one job at a time, so a worker is always idle when it is queued.
    {
      const queueName = 'overhead';
      await startWorkers(await pool([['host', HOST_ENGINE]]), queueName);
      const queue = gradingQueue(redis.url, queueName);
      const waits: number[] = [];
      for (let i = 0; i < OVERHEAD_JOBS; i += 1) {
        // A job id is the source's files: each copy is a job of its own.
        const source = path.join(dir, `fast-${i}`);
        await cp(path.join(FIXTURES, 'broken-install'), source, { recursive: true });
        const [job] = await enqueue(queue, assignment, [{ candidate: `fast-${i}`, source, ref: null, deadline: null, overrides: {} }]);
        waits.push(
          await until(`fast-${i}`, 180_000, async () => {
            const stored = await queue.getJob(job?.key ?? '');
            const result = jobResultSchema.safeParse(stored?.returnvalue);
            const payload = jobPayloadSchema.safeParse(stored?.data);
            return result.success && payload.success ? result.data.pickedAt - payload.data.enqueuedAt : null;
          }),
        );
      }
      await queue.close();
      await stopWorkers(workers);
      figure('queue overhead median (ms, enqueue → picked up)', median(waits));
      figure('queue overhead max (ms)', Math.max(...waits));
    }

    // 2. Serial, on each engine alone.
    const serial = new Map<string, string>();
    const secondRuntime: SandboxRuntime = new PeerImageRuntime(connectEngine(second), [{ name: 'host', runtime: connectEngine(HOST_ENGINE) }]);
    for (const [engine, runtime] of [['host', connectEngine(HOST_ENGINE)], ['eng2', secondRuntime]] as const) {
      const began = Date.now();
      for (const [name, source] of Object.entries(ROWS)) {
        const report = await gradeSubmission({ source, ref: null, assignment }, { runtime, logger: pino({ level: 'silent' }) });
        if (engine === 'host') serial.set(name, verdicts(report));
        else if (serial.get(name) !== verdicts(report)) process.stdout.write(`note: ${name} serial on eng2 differs from host: ${verdicts(report)} vs ${serial.get(name)}\n`);
      }
      figure(`serial on ${engine}, ${Object.keys(ROWS).length} rows (s)`, (Date.now() - began) / 1000);
    }
    figure('distinct verdicts among rows', new Set(serial.values()).size);

    // 3 and 4: the roster on one engine, then on two; two workers each time.
    const wall: Record<string, number> = {};
    for (const [label, entries] of [['one engine', [['host', HOST_ENGINE]]], ['two engines', [['host', HOST_ENGINE], ['eng2', second]]]] as Array<[string, Array<[string, string]>]>) {
      const queueName = label.replace(' ', '-');
      await startWorkers(await pool(entries), queueName);
      const began = Date.now();
      const finished = await batch(queueName, path.join(dir, queueName));
      wall[label] = (Date.now() - began) / 1000;
      if (finished.exitCode !== 0) throw new Error(`batch on ${label}: exit ${finished.exitCode}: ${finished.stderr.slice(-2000)}`);
      await stopWorkers(workers);
      figure(`${label}: ${entries.length}×2 slots, wall (s)`, wall[label] as number);
    }
    figure('two engines / one engine (wall)', (wall['two engines'] as number) / (wall['one engine'] as number));

    // 5. Two engines with a worker SIGKILLed while it grades on both.
    {
      const queueName = 'killed';
      const [a, b] = await startWorkers(await pool([['host', HOST_ENGINE], ['eng2', second]]), queueName);
      const pair = [a, b] as WorkerProcess[];
      const queue = gradingQueue(redis.url, queueName);
      const out = path.join(dir, queueName);
      const began = Date.now();
      const running = batch(queueName, out);
      const past = (phase: string | null) => phase !== null && !['waiting-for-engine', 'prepare', 'fetch'].includes(phase);
      const objectsOfPid = (pid: number) => objectsOnEngines(pid, [HOST_ENGINE, second]);
      // A worker grading on both engines, with containers up (someone must reap them); after
      // 60 s without one, any worker with containers up.
      let firstSeen = 0;
      const { victim, keys, objectsAtKill } = await until('a worker grading with containers up', 300_000, async () => {
        const active = (await queueStatus(queue)).running.filter((job) => past(job.phase));
        firstSeen ||= Date.now();
        let fallback: { victim: WorkerProcess; keys: string[]; objectsAtKill: number } | null = null;
        for (const worker of pair) {
          const mine = active.filter((job) => workerNamed([worker], job.worker));
          if (mine.length === 0) continue;
          const objects = await objectsOfPid(worker.child.pid as number);
          if (objects === 0) continue;
          const found = { victim: worker, keys: mine.map((job) => job.key), objectsAtKill: objects };
          if (new Set(mine.map((job) => job.engine)).size === 2) return found;
          fallback ??= found;
        }
        return Date.now() - firstSeen > 60_000 ? fallback : null;
      });
      const survivor = pair.find((worker) => worker !== victim) as WorkerProcess;
      const victimPid = victim.child.pid as number;
      victim.child.kill('SIGKILL');
      const killedAt = Date.now();
      const retried = await until('the retries', (LEASE_S + 120) * 1000, async () => {
        const lines = keys.map((key) => survivor.lines.find((line) => line.at >= killedAt && line.text.includes(`picked`) && line.text.includes(key)));
        return lines.every(Boolean) ? lines.map((line) => line?.at ?? 0) : null;
      });
      const finished = await running;
      figure('killed run wall (s)', (Date.now() - began) / 1000);
      figure('lease (s)', LEASE_S);
      figure('jobs the killed worker held', keys.length);
      figure('retry after SIGKILL, last of them (s)', (Math.max(...retried) - killedAt) / 1000);
      const status = await queueStatus(queue);
      const done = status.done.map((job) => job.candidate);
      const finishedLines = pair.flatMap((worker) => worker.lines.filter((line) => / done /.test(line.text)));
      figure('rows', Object.keys(ROWS).length);
      figure('lost reports', Object.keys(ROWS).filter((name) => !done.includes(name)).length);
      figure('duplicate gradings finished', finishedLines.length - done.length);
      figure('batch exit code', finished.exitCode ?? -1);
      let differ = 0;
      for (const name of Object.keys(ROWS)) {
        const report = JSON.parse(await readFile(path.join(out, name, 'report.json'), 'utf8').catch(() => 'null')) as Report | null;
        if (!report || verdicts(report) !== serial.get(name)) {
          differ += 1;
          process.stdout.write(`note: ${name} differs from serial: ${report ? verdicts(report) : 'no report'} vs ${serial.get(name)}\n`);
        }
      }
      figure('verdicts differing from serial', differ);
      figure('killed worker objects at kill', objectsAtKill);
      await until('reaping', (LEASE_S + 10) * 1000, async () => (await objectsOfPid(victimPid)) === 0).catch(() => undefined);
      figure('killed worker objects left', await objectsOfPid(victimPid));
      await queue.close();
    }
  } finally {
    await stopWorkers(workers);
    redis.stop();
    // Its data root (images, caches) stays for the next run; `purge` removes it.
    await execa('bash', [path.join(PACKAGE_ROOT, 'scripts/second-engine.sh'), 'stop'], { reject: false });
  }
}

await main();
