import type { Readable, Writable } from 'node:stream';
import type { ContainerHandle, ContainerSpec, ContainerState, LimitCounters, SandboxRuntime } from '../runtime/sandbox-runtime.ts';
import { LimitWatch } from './limit-watch.ts';

export interface ContainerExit {
  /** null when the container was killed by the harness before it exited on its own. */
  exitCode: number | null;
  timedOut: boolean;
  oomKilled: boolean;
  durationMs: number;
  /** The cgroup's limit counters, highest seen while it ran; null when the engine gave none. */
  limits: LimitCounters | null;
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
  private startedAt = 0;
  private started = false;
  private killedByHarness = false;
  private readonly limitWatch: LimitWatch;

  private constructor(
    readonly handle: ContainerHandle,
    private readonly sinks: OutputSinks,
  ) {
    this.limitWatch = new LimitWatch(handle);
  }

  static async create(runtime: SandboxRuntime, spec: ContainerSpec, sinks: OutputSinks): Promise<ManagedContainer> {
    return new ManagedContainer(await runtime.createContainer(spec), sinks);
  }

  get id(): string {
    return this.handle.id;
  }

  /** Extracts an uncompressed tar into a volume mounted in this container. */
  async copyIn(tar: Readable, destination: string): Promise<void> {
    await this.handle.copyIn(tar, destination);
  }

  async start(): Promise<void> {
    this.startedAt = performance.now();
    await this.handle.start(this.sinks);
    this.started = true;
    this.limitWatch.start();
  }

  /** The limit counters so far (forks refused, OOM kills), read once more now. */
  async limits(): Promise<LimitCounters | null> {
    return this.started ? this.limitWatch.stop().finally(() => this.limitWatch.start()) : null;
  }

  /** Resolves when the container exits (null if it never started or waiting failed); never rejects. */
  async exited(): Promise<{ exitCode: number } | null> {
    if (!this.started) return null;
    const exitCode = await this.handle.exited();
    return exitCode === null ? null : { exitCode };
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
      const limits = await this.limitWatch.stop();
      await this.kill();
      return { exitCode: null, timedOut: true, oomKilled: false, durationMs: performance.now() - this.startedAt, limits };
    }
    return this.describeExit(outcome?.exitCode ?? null);
  }

  /** How it ended, once it has; an exit forced by the harness has no exit code. */
  async describeExit(exitCode: number | null): Promise<ContainerExit> {
    await this.handle.drainOutput();
    const state = await this.state();
    const limits = await this.limitWatch.stop();
    return {
      exitCode: this.killedByHarness ? null : (exitCode ?? state.exitCode),
      timedOut: false,
      oomKilled: state.oomKilled,
      durationMs: performance.now() - this.startedAt,
      limits,
    };
  }

  /** Whether it is still running, and if not how and when (engine clock, ms) it ended. */
  state(): Promise<ContainerState> {
    return this.handle.state().catch(() => ({ running: false, exitCode: null, oomKilled: false, finishedAtMs: null }));
  }

  async kill(): Promise<void> {
    this.killedByHarness = true;
    await this.limitWatch.stop();
    await this.handle.kill().catch(() => undefined);
    await this.exited();
    await this.handle.drainOutput();
  }

  async remove(): Promise<void> {
    await this.limitWatch.stop();
    await this.handle.remove().catch(() => undefined);
  }
}
