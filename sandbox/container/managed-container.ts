import type Docker from 'dockerode';
import type { Readable, Writable } from 'node:stream';
import type { Engine } from '../engine.ts';

export interface ContainerExit {
  /** null when the container was killed by the harness before it exited on its own. */
  exitCode: number | null;
  timedOut: boolean;
  oomKilled: boolean;
  durationMs: number;
}

export interface OutputSinks {
  stdout: Writable;
  stderr: Writable;
}

/**
 * One container from create to exit. Output is attached before start so nothing is
 * missed, and goes straight into capped sinks; waits always have a deadline.
 */
export class ManagedContainer {
  private exitPromise: Promise<{ exitCode: number }> | undefined;
  private stream: NodeJS.ReadWriteStream | undefined;
  private startedAt = 0;
  private killedByHarness = false;

  private constructor(
    private readonly docker: Engine,
    readonly container: Docker.Container,
    private readonly sinks: OutputSinks,
  ) {}

  static async create(docker: Engine, spec: Docker.ContainerCreateOptions, sinks: OutputSinks): Promise<ManagedContainer> {
    const container = await docker.createContainer(spec);
    return new ManagedContainer(docker, container, sinks);
  }

  get id(): string {
    return this.container.id;
  }

  /** Extracts an uncompressed tar into a volume mounted in this (created, not started) container. */
  async putArchive(tar: Readable, destination: string): Promise<void> {
    await this.container.putArchive(tar as unknown as NodeJS.ReadableStream, { path: destination });
  }

  async start(): Promise<void> {
    const stream = await this.container.attach({ stream: true, stdout: true, stderr: true, logs: true });
    this.stream = stream;
    this.docker.modem.demuxStream(stream, this.sinks.stdout, this.sinks.stderr);
    // 'next-exit' registered before start: the default condition answers at once for a
    // container that has not started yet, which would look like an instant exit.
    this.exitPromise = this.container.wait({ condition: 'next-exit' }).then((result: { StatusCode: number }) => ({ exitCode: result.StatusCode }));
    // Never an unhandled rejection: callers that care await waitExit().
    this.exitPromise.catch(() => undefined);
    this.startedAt = performance.now();
    await this.container.start();
  }

  /** Resolves when the container exits on its own; never rejects. */
  exited(): Promise<{ exitCode: number } | null> {
    return this.exitPromise ? this.exitPromise.catch(() => null) : Promise.resolve(null);
  }

  /** Waits up to `deadlineMs` for the container to exit, killing it when the deadline passes. */
  async waitExit(deadlineMs: number): Promise<ContainerExit> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), deadlineMs);
    });
    const outcome = await Promise.race([this.exited(), deadline]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      await this.kill();
      return { exitCode: null, timedOut: true, oomKilled: false, durationMs: performance.now() - this.startedAt };
    }
    return this.describeExit(outcome?.exitCode ?? null);
  }

  async describeExit(exitCode: number | null): Promise<ContainerExit> {
    await this.drainOutput();
    const state = await this.container.inspect().then((info) => info.State).catch(() => null);
    return {
      exitCode: this.killedByHarness ? null : (exitCode ?? state?.ExitCode ?? null),
      timedOut: false,
      oomKilled: state?.OOMKilled ?? false,
      durationMs: performance.now() - this.startedAt,
    };
  }

  /** Whether it is still running, and if not how and when (engine clock, ms) it ended. */
  async state(): Promise<{ running: boolean; exitCode: number | null; oomKilled: boolean; finishedAtMs: number | null }> {
    const info = await this.container.inspect().then((inspected) => inspected.State).catch(() => null);
    if (!info) return { running: false, exitCode: null, oomKilled: false, finishedAtMs: null };
    const finished = Date.parse(info.FinishedAt);
    return {
      running: info.Running,
      exitCode: info.Running ? null : info.ExitCode,
      oomKilled: info.OOMKilled,
      finishedAtMs: info.Running || Number.isNaN(finished) || finished <= 0 ? null : finished,
    };
  }

  async kill(): Promise<void> {
    this.killedByHarness = true;
    await this.container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
    await this.exited();
    await this.drainOutput();
  }

  /** The attach stream can lag the exit by a few ms; give it a bounded moment to flush. */
  private async drainOutput(): Promise<void> {
    const stream = this.stream;
    if (!stream) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, 2_000);
      const done = () => {
        clearTimeout(timer);
        resolve();
      };
      if ((stream as unknown as Readable).readableEnded) done();
      stream.once('end', done);
      stream.once('close', done);
      stream.once('error', done);
    });
  }
}
