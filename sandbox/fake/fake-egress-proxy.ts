import type { Readable, Writable } from 'node:stream';
import type { DeniedAttempt } from '../egress/proxy-server.ts';
import { PROXY_READY } from '../egress/proxy-server.ts';
import type { ContainerHandle, ContainerSpec, ContainerState, LimitCounters } from '../runtime/sandbox-runtime.ts';

/**
 * The egress proxy's container in the fake engine: says it is ready when started, runs
 * until killed, and prints the refused attempts the script gives for each proxied step.
 */
export class FakeEgressProxy implements ContainerHandle {
  private phase: 'created' | 'running' | 'exited' | 'removed' = 'created';
  private stdout: Writable | null = null;
  private settle: (code: number | null) => void = () => undefined;
  private readonly exit = new Promise<number | null>((resolve) => {
    this.settle = resolve;
  });

  constructor(
    private readonly events: { record(type: 'start' | 'kill' | 'remove', labels: Record<string, string>, name: string): void; forget(container: { id: string }): void },
    readonly id: string,
    readonly spec: ContainerSpec,
  ) {}

  get running(): boolean {
    return this.phase === 'running';
  }

  /** What the real proxy would print for a step that tried these. */
  deny(attempts: readonly DeniedAttempt[]): void {
    for (const attempt of attempts) this.stdout?.write(`${JSON.stringify(attempt)}\n`);
  }

  async copyIn(tar: Readable): Promise<void> {
    tar.resume();
  }

  async start(output: { stdout: Writable; stderr: Writable }): Promise<void> {
    if (this.phase !== 'created') throw new Error(`container ${this.spec.name} was already started`);
    this.phase = 'running';
    this.stdout = output.stdout;
    this.events.record('start', this.spec.labels, this.spec.name);
    output.stderr.write(`${PROXY_READY} http:3128 dns:53\n`);
  }

  exited(): Promise<number | null> {
    return this.exit;
  }

  async state(): Promise<ContainerState> {
    if (this.phase === 'removed') throw new Error(`No such container: ${this.id}`);
    return { running: this.running, exitCode: this.phase === 'exited' ? 137 : null, oomKilled: false, finishedAtMs: null };
  }

  async followMemory(): Promise<() => void> {
    return () => undefined;
  }

  async memoryNow(): Promise<number | null> {
    return null;
  }

  async limitCounters(): Promise<LimitCounters | null> {
    return null;
  }

  async kill(): Promise<void> {
    if (this.phase !== 'running') return;
    this.events.record('kill', this.spec.labels, this.spec.name);
    this.phase = 'exited';
    this.settle(137);
  }

  async drainOutput(): Promise<void> {}

  async remove(): Promise<void> {
    if (this.phase === 'removed') return;
    if (this.phase === 'running') this.settle(137);
    else this.settle(null);
    this.phase = 'removed';
    this.events.forget(this);
    this.events.record('remove', this.spec.labels, this.spec.name);
  }
}
