import type Docker from 'dockerode';
import type { Readable, Writable } from 'node:stream';
import type { ContainerHandle, ContainerState, LimitCounters } from '../runtime/sandbox-runtime.ts';
import { readCgroupCounters } from './cgroup-counters.ts';
import { followStats } from './stats-stream.ts';
import { workingSetBytes } from './working-set.ts';

/** Docker's FinishedAt for a container that never ran is year 1; anything before 1971 is "unknown". */
const NO_TIME = Date.UTC(1971, 0, 1);

/** One Docker container behind the engine-neutral handle. */
export class DockerContainer implements ContainerHandle {
  private stream: NodeJS.ReadWriteStream | undefined;
  private readonly exit: Promise<number | null>;
  private settleExit: (code: number | null) => void = () => undefined;

  constructor(
    private readonly docker: Docker,
    private readonly container: Docker.Container,
  ) {
    this.exit = new Promise((resolve) => {
      this.settleExit = resolve;
    });
  }

  get id(): string {
    return this.container.id;
  }

  async copyIn(tar: Readable, destination: string): Promise<void> {
    await this.container.putArchive(tar as unknown as NodeJS.ReadableStream, { path: destination });
  }

  async start(output: { stdout: Writable; stderr: Writable }): Promise<void> {
    const stream = await this.container.attach({ stream: true, stdout: true, stderr: true, logs: true });
    this.stream = stream;
    this.docker.modem.demuxStream(stream, output.stdout, output.stderr);
    // 'next-exit' registered before start: the default condition answers at once for a
    // container that has not started yet, which would look like an instant exit.
    const waited: Promise<number | null> = this.container
      .wait({ condition: 'next-exit' })
      .then((result: { StatusCode: number }) => result.StatusCode, () => null);
    try {
      await this.container.start();
    } catch (error) {
      // Never started: the wait would hang until the container is removed.
      this.settleExit(null);
      throw error;
    }
    void waited.then((code) => this.settleExit(code));
  }

  exited(): Promise<number | null> {
    return this.exit;
  }

  async state(): Promise<ContainerState> {
    const info = await this.container.inspect().then((inspected) => inspected.State).catch(() => null);
    if (!info) return { running: false, exitCode: null, oomKilled: false, finishedAtMs: null };
    const finished = Date.parse(info.FinishedAt);
    const ended = !info.Running && info.Status !== 'created';
    return {
      running: info.Running,
      exitCode: ended ? info.ExitCode : null,
      oomKilled: info.OOMKilled,
      finishedAtMs: ended && !Number.isNaN(finished) && finished > NO_TIME ? finished : null,
    };
  }

  async followMemory(onSample: (workingSetBytes: number) => void): Promise<() => void> {
    const stream = (await this.container.stats({ stream: true })) as unknown as NodeJS.ReadableStream;
    return followStats(stream, onSample);
  }

  async memoryNow(): Promise<number | null> {
    // one-shot: answer at once instead of waiting a second for a second CPU sample.
    const options = { stream: false, 'one-shot': true } as { stream: false };
    const once: unknown = await this.container.stats(options).catch(() => null);
    return workingSetBytes(once);
  }

  limitCounters(): Promise<LimitCounters | null> {
    return readCgroupCounters(this.container.id);
  }

  async kill(): Promise<void> {
    await this.container.kill({ signal: 'SIGKILL' }).catch(() => undefined);
  }

  /** The attach stream can lag the exit by a few ms; give it a bounded moment to flush. */
  async drainOutput(): Promise<void> {
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

  async remove(): Promise<void> {
    await this.container.remove({ force: true, v: true }).catch(() => undefined);
    this.settleExit(null);
  }
}
