import { WORKSPACE_COPIED } from '../container/container-specs.ts';
import type { Readable, Writable } from 'node:stream';
import type { ContainerHandle, ContainerSpec, ContainerState, LimitCounters } from '../runtime/sandbox-runtime.ts';
import { LABELS } from '../labels.ts';
import type { FakeRuntime } from './fake-runtime.ts';
import { readTarFiles } from './read-tar-files.ts';

type Phase = 'created' | 'running' | 'exited' | 'removed';

/** The memory every running fake container reports. */
export const FAKE_MEMORY_BYTES = 30 * 1024 * 1024;

/** One container of the fake engine; what it does once started depends on its role. */
export class FakeContainer implements ContainerHandle {
  private phase: Phase = 'created';
  private exitCode: number | null = null;
  private oomKilled = false;
  private pidsRefused = 0;
  private finishedAtMs: number | null = null;
  private timer: NodeJS.Timeout | undefined;
  private proberInput: unknown = undefined;
  private settleExit: (code: number | null) => void = () => undefined;
  private readonly exit = new Promise<number | null>((resolve) => {
    this.settleExit = resolve;
  });

  constructor(
    private readonly runtime: FakeRuntime,
    readonly id: string,
    readonly spec: ContainerSpec,
  ) {}

  get running(): boolean {
    return this.phase === 'running';
  }

  private get role(): string {
    return this.spec.labels[LABELS.role] ?? 'unknown';
  }

  async copyIn(tar: Readable, destination: string): Promise<void> {
    this.assertPresent();
    const files = await readTarFiles(tar);
    // The prober's instructions, wherever in the tar its own folder puts them.
    const input = [...files].find(([name]) => name === 'input.json' || name.endsWith('/input.json'))?.[1];
    if (input) this.proberInput = JSON.parse(input.toString('utf8'));
    this.runtime.record('copy-in', this.spec.labels, `${this.spec.name}:${destination}`);
  }

  async start(output: { stdout: Writable; stderr: Writable }): Promise<void> {
    this.assertPresent();
    if (this.phase !== 'created') throw new Error(`container ${this.spec.name} was already started`);
    this.runtime.assertCanJoin(this.spec);
    this.phase = 'running';
    this.runtime.record('start', this.spec.labels, this.spec.name);
    const { script } = this.runtime;
    if (this.role === 'build') {
      const run = script.build?.(this.spec) ?? { exitCode: 0 };
      this.pidsRefused = run.pidsRefused ?? 0;
      if (run.output) output.stdout.write(run.output);
      this.exitAfter(run.delayMs ?? 0, run.exitCode);
    } else if (this.role === 'candidate') {
      const run = script.candidate?.(this.spec) ?? {};
      this.pidsRefused = run.pidsRefused ?? 0;
      if (run.output) output.stdout.write(run.output);
      const exitAfterMs = run.exitAfterMs ?? null;
      if (exitAfterMs !== null) this.exitAfter(exitAfterMs, run.exitCode ?? (run.oomKilled ? 137 : 1), run.oomKilled ?? false);
    } else if (this.role === 'prober') {
      const joined = this.spec.network.mode === 'join' ? this.spec.network.containerId : '';
      const candidateRunning = () => this.runtime.container(joined)?.running ?? false;
      const run = script.prober?.(this.proberInput, { candidateRunning }) ?? { lines: [] };
      this.timer = setTimeout(() => {
        if (this.phase !== 'running') return;
        if (run.lines.length > 0) output.stdout.write(`${run.lines.join('\n')}\n`);
        this.finish(run.exitCode ?? 0, false);
      }, run.delayMs ?? 0);
    } else if (this.role === 'copy') {
      // An instance's workspace holder: copies at once, then holds the volume until removed.
      output.stdout.write(`${WORKSPACE_COPIED}\n`);
    } else if (this.role !== 'keeper') {
      // Short helpers (a cache's setup): done at once.
      this.exitAfter(0, 0);
    }
  }

  exited(): Promise<number | null> {
    return this.exit;
  }

  async state(): Promise<ContainerState> {
    if (this.phase === 'removed') throw new Error(`No such container: ${this.id}`);
    return { running: this.phase === 'running', exitCode: this.exitCode, oomKilled: this.oomKilled, finishedAtMs: this.finishedAtMs };
  }

  async followMemory(onSample: (workingSetBytes: number) => void): Promise<() => void> {
    if (this.phase === 'running') queueMicrotask(() => onSample(FAKE_MEMORY_BYTES));
    return () => undefined;
  }

  async memoryNow(): Promise<number | null> {
    return this.phase === 'running' ? FAKE_MEMORY_BYTES : null;
  }

  /** Like a cgroup: readable only while the container runs. */
  async limitCounters(): Promise<LimitCounters | null> {
    return this.phase === 'running' ? { pidsRefused: this.pidsRefused, oomKills: 0 } : null;
  }

  async kill(): Promise<void> {
    if (this.phase === 'removed') return;
    this.runtime.record('kill', this.spec.labels, this.spec.name);
    if (this.phase === 'running') this.finish(137, false);
  }

  async drainOutput(): Promise<void> {}

  async remove(): Promise<void> {
    if (this.phase === 'removed') return;
    if (this.phase === 'running') this.finish(137, false);
    clearTimeout(this.timer);
    this.phase = 'removed';
    this.runtime.forget(this);
    this.runtime.record('remove', this.spec.labels, this.spec.name);
    this.settleExit(null);
  }

  private exitAfter(delayMs: number, exitCode: number, oomKilled = false): void {
    this.timer = setTimeout(() => {
      if (this.phase === 'running') this.finish(exitCode, oomKilled);
    }, delayMs);
  }

  private finish(exitCode: number, oomKilled: boolean): void {
    clearTimeout(this.timer);
    this.phase = 'exited';
    this.exitCode = exitCode;
    this.oomKilled = oomKilled;
    this.finishedAtMs = Date.now();
    this.settleExit(exitCode);
  }

  private assertPresent(): void {
    if (this.phase === 'removed') throw new Error(`No such container: ${this.id}`);
  }
}
