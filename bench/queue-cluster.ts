/**
 * What bench/cluster.ts and the queue tests (which import it from here) both need: a private redis-server, `grader
 * worker` processes whose output lines are kept with their time, a poll-until helper, and
 * the harness objects a given process left in an engine.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { createServer } from 'node:net';
import { hostname, tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import type { Report } from '../core/report.ts';
import { PACKAGE_ROOT } from '../harness/paths.ts';
import { connectEngine } from '../sandbox/docker/connect-engine.ts';
import { LABELS } from '../sandbox/labels.ts';

export const GRADER_BIN = path.join(PACKAGE_ROOT, 'bin/grader.js');

export const HOST_ENGINE = 'unix:///var/run/docker.sock';

/** A child killed by a signal has exitCode null and signalCode set. */
export const alive = (child: ChildProcess) => child.exitCode === null && child.signalCode === null;
export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null | undefined | false>): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await sleep(250);
  }
}

export interface RedisProcess {
  url: string;
  stop(): void;
}

/** A redis-server of the caller's own on a free loopback port, nothing saved; fails loudly without one. */
export async function startRedis(): Promise<RedisProcess> {
  const found = await execa('redis-server', ['--version'], { reject: false });
  if (found.exitCode !== 0) throw new Error("needs Debian's redis-server (apt-get install -y redis-server, or run scripts/setup.sh)");
  const dir = await mkdtemp(path.join(tmpdir(), 'tg-redis-'));
  const port = await freePort();
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  await until('redis-server to answer', 10_000, async () => (await execa('redis-cli', ['-p', String(port), 'ping'], { reject: false })).stdout === 'PONG');
  return { url: `redis://127.0.0.1:${port}`, stop: () => void child.kill('SIGTERM') };
}

export interface WorkerProcess {
  child: ChildProcess;
  lines: Array<{ at: number; text: string }>;
}

/** `grader worker <args>`; stdout lines kept with the time they came, stderr lines marked. */
export function startWorker(args: string[]): WorkerProcess {
  const child = spawn('node', [GRADER_BIN, 'worker', ...args], { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: WorkerProcess['lines'] = [];
  let rest = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (rest + chunk.toString('utf8')).split('\n');
    rest = parts.pop() ?? '';
    for (const text of parts) lines.push({ at: Date.now(), text });
  });
  child.stderr?.on('data', (chunk: Buffer) => lines.push({ at: Date.now(), text: `stderr: ${chunk.toString('utf8').trim()}` }));
  return { child, lines };
}

/** The worker whose name (`host:pid`) a queue status row carries. */
export function workerNamed(workers: readonly WorkerProcess[], name: string | null | undefined): WorkerProcess | undefined {
  return workers.find((worker) => worker.child.pid !== undefined && name === `${hostname()}:${worker.child.pid}`);
}

/** SIGTERM to the live ones, and wait for them to go. */
export async function stopWorkers(workers: readonly WorkerProcess[]): Promise<void> {
  for (const worker of workers) if (alive(worker.child)) worker.child.kill('SIGTERM');
  await Promise.all(workers.map((worker) => (alive(worker.child) ? new Promise((resolve) => worker.child.once('exit', resolve)) : null)));
}

/** Harness objects in an engine made by the given processes of this host. */
export async function objectsOf(pids: number[], engine = HOST_ENGINE): Promise<string[]> {
  const objects = await connectEngine(engine).listObjects({ [LABELS.managed]: 'true' });
  const mine = new Set(pids.map((pid) => `${hostname()}:${pid}`));
  return objects.filter((object) => mine.has((object.labels[LABELS.instance] ?? '').split(':').slice(0, 2).join(':'))).map((object) => `${object.kind} ${object.name}`);
}

/** How many harness objects one process of this host left across several engines. */
export async function objectsOnEngines(pid: number, engines: readonly string[]): Promise<number> {
  let count = 0;
  for (const engine of engines) count += (await objectsOf([pid], engine)).length;
  return count;
}

/** Lines of every worker, indented, for a failure message. */
export function workerLog(workers: readonly WorkerProcess[]): string {
  return workers.map((worker, index) => `worker ${index}:\n${worker.lines.map((line) => `  ${line.text}`).join('\n')}\n`).join('');
}

/** What must match between a queued and a serial grading of the same submission. */
export function verdictsOf(report: Report): { gradable: boolean; points: number; checks: Record<string, string> } {
  return { gradable: report.gradable, points: report.score.points, checks: Object.fromEntries(report.checks.map((check) => [check.id, check.status])) };
}
