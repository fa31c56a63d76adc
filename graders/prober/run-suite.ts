import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { stripControl } from '../../core/text.ts';
import type { ProberInput, SuiteLine } from './protocol.ts';
import { RecordingProxy } from './recording-proxy.ts';

const MAX_LINES = 20_000;
const MAX_STDERR = 8_000;
const MAX_JUNIT = 4 * 1024 * 1024;

/**
 * Runs an assignment's hidden test suite (any runner) with BASE_URL pointing at a
 * recording proxy in front of the server. Its stdout lines and the proxy's exchanges share
 * one clock, so the harness can tell which requests a TAP test made.
 */
export async function runSuite(input: ProberInput): Promise<SuiteLine> {
  const suite = input.suite;
  if (!suite) throw new Error('no suite settings');
  const started = performance.now();
  const clock = () => Math.round((performance.now() - started) * 10) / 10;
  const proxy = new RecordingProxy(input.baseUrl, clock);
  const baseUrl = await proxy.start();
  const stdout: SuiteLine['stdout'] = [];
  let stdoutTruncated = false;
  let stderr = '';
  let spawnError: string | null = null;
  let timedOut = false;
  const exitCode = await new Promise<number | null>((resolve) => {
    const [command, ...args] = suite.command;
    const child = spawn(command ?? 'false', args, {
      cwd: suite.cwd,
      env: { PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin', HOME: '/tmp', BASE_URL: baseUrl, CI: 'true', NO_COLOR: '1', FORCE_COLOR: '0' },
      stdio: ['ignore', 'pipe', 'pipe'],
      // Its own process group, so a timeout kills the runner's workers too.
      detached: true,
    });
    let partial = '';
    const take = (text: string) => {
      if (stdout.length >= MAX_LINES) {
        stdoutTruncated = true;
        return;
      }
      stdout.push({ atMs: clock(), text: stripControl(text).slice(0, 4000) });
    };
    child.stdout.on('data', (chunk: Buffer) => {
      partial += chunk.toString('utf8');
      const lines = partial.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) take(line);
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-MAX_STDERR);
    });
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid) process.kill(-child.pid, 'SIGKILL');
      } catch {
        child.kill('SIGKILL');
      }
    }, suite.timeoutMs);
    child.on('error', (error) => {
      spawnError = error.message;
      clearTimeout(timer);
      resolve(null);
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (partial) take(partial);
      resolve(code);
    });
  });
  await proxy.stop();
  let junit: string | null = null;
  if (suite.junitFile) {
    junit = await readFile(path.resolve(suite.cwd, suite.junitFile), 'utf8').catch(() => null);
    if (junit && junit.length > MAX_JUNIT) junit = junit.slice(0, MAX_JUNIT);
  }
  return {
    type: 'suite',
    exitCode,
    timedOut,
    spawnError,
    stdout,
    stdoutTruncated,
    stderrTail: stripControl(stderr).slice(-MAX_STDERR),
    junit,
    exchanges: proxy.exchanges,
    exchangesOmitted: proxy.omitted,
  };
}
