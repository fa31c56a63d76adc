/**
 * The queue's own figures on this machine: a private redis-server, two `grader worker`
 * processes on the host engine (one slot each), then
 *
 * 1. queue overhead: OVERHEAD_JOBS (default 4) fast submissions queued one at a time while
 *    a worker is idle; enqueue → picked up, median and max;
 * 2. a killed worker: the reference queued, the worker grading it SIGKILLed once its
 *    containers are up, two fast submissions queued after; seconds until the other worker
 *    takes the job back, reports lost, gradings finished twice, objects left in the engine.
 *
 * Fast submissions are copies of test/fixtures/broken-install (a job id is the source's
 * files, so each copy is a job of its own). A second engine (a dockerd in its own network
 * namespace) is not started here: see docs/scale-out.md.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { cp, mkdtemp, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { loadAssignment } from '../harness/assignment/load-assignment.ts';
import { PACKAGE_ROOT } from '../harness/paths.ts';
import { enqueue } from '../harness/queue/enqueue.ts';
import { gradingQueue } from '../harness/queue/grading-queue.ts';
import { jobPayloadSchema, jobResultSchema } from '../harness/queue/job-payload.ts';
import { queueStatus } from '../harness/queue/queue-status.ts';
import { connectRuntime } from '../sandbox/docker/docker-runtime.ts';
import { LABELS } from '../sandbox/labels.ts';
import { REFERENCE, figure } from './support.ts';

const LEASE_S = Number(process.env.LEASE_S ?? 15);
const OVERHEAD_JOBS = Number(process.env.OVERHEAD_JOBS ?? 4);
const QUICK = path.join(PACKAGE_ROOT, 'test/fixtures/assignments/quick');
const FAST = path.join(PACKAGE_ROOT, 'test/fixtures/broken-install');
const GRADER_BIN = path.join(PACKAGE_ROOT, 'bin/grader.js');
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? Number.NaN;

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

interface WorkerProcess {
  child: ChildProcess;
  lines: Array<{ at: number; text: string }>;
}

function startWorker(args: string[]): WorkerProcess {
  const child = spawn('node', [GRADER_BIN, 'worker', ...args], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const lines: WorkerProcess['lines'] = [];
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString('utf8')).split('\n');
    rest = parts.pop() ?? '';
    for (const text of parts) lines.push({ at: Date.now(), text });
  });
  return { child, lines };
}

async function objectsOf(pid: number): Promise<number> {
  const objects = await connectRuntime().listObjects({ [LABELS.managed]: 'true' });
  return objects.filter((object) => (object.labels[LABELS.instance] ?? '').startsWith(`${hostname()}:${pid}:`)).length;
}

async function main(): Promise<void> {
  const found = await execa('redis-server', ['--version'], { reject: false });
  if (found.exitCode !== 0) throw new Error('needs redis-server (apt-get install -y redis-server)');
  const dir = await mkdtemp(path.join(tmpdir(), 'tg-cluster-'));
  const port = await freePort();
  const redis = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  const redisUrl = `redis://127.0.0.1:${port}`;
  const queueName = `bench-${process.pid}`;
  await until('redis-server', 10_000, async () => (await execa('redis-cli', ['-p', String(port), 'ping'], { reject: false })).stdout === 'PONG');
  const engines = path.join(dir, 'engines.yaml');
  await writeFile(engines, 'engines:\n  - { name: host, host: "unix:///var/run/docker.sock", slots: 1 }\n');
  const workers = ['a', 'b'].map((name) => startWorker(['--engines', engines, '--redis', redisUrl, '--queue', queueName, '--lease', String(LEASE_S), '--log', path.join(dir, `worker-${name}.log`)]));
  const queue = gradingQueue(redisUrl, queueName);
  const assignment = await loadAssignment(QUICK);
  const copy = async (name: string) => {
    const target = path.join(dir, name);
    await cp(FAST, target, { recursive: true });
    return target;
  };
  try {
    await until('both workers', 30_000, async () => workers.every((worker) => worker.lines.some((line) => line.text.startsWith('worker '))));

    // 1. Overhead: one job at a time, so a worker is always idle when it is queued.
    const waits: number[] = [];
    for (let i = 0; i < OVERHEAD_JOBS; i += 1) {
      const [job] = await enqueue(queue, assignment, [{ candidate: `fast-${i}`, source: await copy(`fast-${i}`), ref: null, deadline: null, overrides: {} }]);
      const result = await until(`fast-${i}`, 180_000, async () => {
        const stored = await queue.getJob(job?.key ?? '');
        const parsed = jobResultSchema.safeParse(stored?.returnvalue);
        const payload = jobPayloadSchema.safeParse(stored?.data);
        return parsed.success && payload.success ? parsed.data.pickedAt - payload.data.enqueuedAt : null;
      });
      waits.push(result);
    }
    figure('queue overhead median (ms, enqueue → picked up)', median(waits));
    figure('queue overhead max (ms)', Math.max(...waits));

    // 2. A killed worker: the reference alone, so the survivor's slot is free when the
    //    lease runs out; two fast ones are queued once it has been taken back.
    const added = await enqueue(queue, assignment, [{ candidate: 'reference', source: REFERENCE, ref: null, deadline: null, overrides: {} }]);
    const referenceKey = added[0]?.key ?? '';
    const victim = await until('the reference to be installing', 180_000, async () => {
      const running = (await queueStatus(queue)).running.find((job) => job.key === referenceKey);
      if (!running?.phase || ['waiting-for-engine', 'prepare', 'fetch'].includes(running.phase)) return null;
      return workers.find((worker) => running.worker === `${hostname()}:${worker.child.pid}`);
    });
    const survivor = workers.find((worker) => worker !== victim) as WorkerProcess;
    const victimPid = victim.child.pid as number;
    const objectsAtKill = await until('the victim\'s containers', 60_000, async () => objectsOf(victimPid));
    victim.child.kill('SIGKILL');
    const killedAt = Date.now();
    const retried = await until('the retry', (LEASE_S + 60) * 1000, async () => survivor.lines.find((line) => line.at >= killedAt && line.text.includes(`picked reference ${referenceKey}`)));
    figure('lease (s)', LEASE_S);
    figure('retry after SIGKILL (s)', (retried.at - killedAt) / 1000);
    added.push(
      ...(await enqueue(queue, assignment, [
        { candidate: 'fast-k1', source: await copy('fast-k1'), ref: null, deadline: null, overrides: {} },
        { candidate: 'fast-k2', source: await copy('fast-k2'), ref: null, deadline: null, overrides: {} },
      ])),
    );
    const final = await until('every job', 400_000, async () => {
      const status = await queueStatus(queue);
      return status.waiting.length + status.running.length === 0 ? status : null;
    });
    const keys = added.map((job) => job.key);
    const done = final.done.filter((job) => keys.includes(job.key));
    const finishedLines = workers.flatMap((worker) => worker.lines.filter((line) => / done /.test(line.text) && keys.some((key) => line.text.includes(key))));
    figure('killed-worker jobs', keys.length);
    figure('lost reports', keys.length - done.length);
    figure('duplicate gradings finished', finishedLines.length - done.length);
    figure('killed worker objects at kill', objectsAtKill);
    await until('reaping', (LEASE_S + 10) * 1000, async () => (await objectsOf(victimPid)) === 0).catch(() => undefined);
    figure('killed worker objects left', await objectsOf(victimPid));
  } finally {
    await queue.close();
    // A child killed by a signal has exitCode null and signalCode set.
    const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;
    for (const worker of workers) if (alive(worker.child)) worker.child.kill('SIGTERM');
    await Promise.all(workers.map((worker) => (alive(worker.child) ? new Promise((resolve) => worker.child.once('exit', resolve)) : null)));
    redis.kill('SIGTERM');
  }
}

await main();
