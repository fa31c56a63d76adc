import { readFile } from 'node:fs/promises';
import { CappedOutput } from './container/capped-output.ts';
import {
  CA_PATH,
  PROBER_MOUNT,
  SANDBOX_USER,
  WORKSPACE_MOUNT,
  buildSpec,
  candidateSpec,
  keeperSpec,
  proberSpec,
} from './container/container-specs.ts';
import { ManagedContainer, type ContainerExit } from './container/managed-container.ts';
import { MemorySampler, type MemoryPeak } from './container/memory-sampler.ts';
import { filesTar } from './copy/files-tar.ts';
import { packPlan, type PackPlan } from './copy/pack-directory.ts';
import { jobLabels, LABELS } from './labels.ts';
import { removeLabelled } from './remove-labelled.ts';
import type { Caps, SandboxRuntime } from './runtime/sandbox-runtime.ts';

export { CA_PATH, SANDBOX_USER };

const LOG_HEAD = 16 * 1024;
const LOG_TAIL = 16 * 1024;
const PROBER_STDOUT_CAP = 8 * 1024 * 1024;
/** The bundle, plus a hidden suite's folder (node_modules included, if its runner needs them). */
const PROBER_VOLUME_MB = 256;
/** The root is read-only; /tmp is the tmpfs, so a tool that wants a writable home gets one there. */
const BASE_ENV = { HOME: '/tmp' };

export interface SandboxJobOptions {
  jobId: string;
  /** The candidate's image: install, build and the server run in it. */
  image: string;
  /** The harness's own image: the keeper and the prober run in it, never in the candidate's. */
  helperImage: string;
  /** How long the labels say the objects may live, should this process die without cleaning up. */
  ttlMs: number;
  /** Size of the RAM-backed workspace: the most a build can write. */
  workspaceMb: number;
}

export interface StepRun {
  exit: ContainerExit;
  /** Head and tail of stdout+stderr, interleaved as written. */
  log: string;
  logTruncated: boolean;
}

export interface RunningCandidate {
  container: ManagedContainer;
  output: CappedOutput;
  /** Follows the server's memory from start to stop (see stopCandidate). */
  memory: MemorySampler;
}

/** A folder copied into the prober beside its bundle (a hidden test suite), at `prefix`. */
export interface ProberFiles {
  root: string;
  plan: PackPlan;
  prefix: string;
}

export interface ProberRun {
  exit: ContainerExit;
  stdout: string;
  stdoutTruncated: boolean;
  stderr: string;
}

/**
 * Everything one grading job does with the engine: a workspace volume, the build steps,
 * candidate instances and probers. Every object is labelled with the job id, and
 * `dispose` removes them all whatever state they are in.
 */
export class SandboxJob {
  readonly jobId: string;
  private readonly workspaceVolume: string;
  private readonly proberVolume: string;
  private counter = 0;
  private workspaceCopied = false;
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly runtime: SandboxRuntime,
    private readonly options: SandboxJobOptions,
  ) {
    this.jobId = options.jobId;
    this.workspaceVolume = `tg-${options.jobId}-workspace`;
    this.proberVolume = `tg-${options.jobId}-prober`;
  }

  /**
   * Every engine object is created through here, so `dispose` can wait for creations
   * already under way (an interrupt can land between "create" and its answer) and refuse
   * new ones; otherwise a container created a moment after cleanup listed would survive.
   */
  private track<T>(creation: () => Promise<T>): Promise<T> {
    if (this.closed) return Promise.reject(new Error(`sandbox job ${this.jobId} is closed`));
    const promise = creation();
    this.inFlight.add(promise);
    void promise.finally(() => this.inFlight.delete(promise)).catch(() => undefined);
    return promise;
  }

  private nextName(role: string): string {
    this.counter += 1;
    return `tg-${this.jobId}-${role}-${this.counter}`;
  }

  /**
   * The workspace and prober volumes are tmpfs with a size: a submission that writes
   * without end (a postinstall filling the disk) hits ENOSPC at the cap instead of filling
   * the host's disk. A keeper container holds them mounted so their contents survive from
   * one container to the next.
   */
  async createVolumes(): Promise<void> {
    const { jobId, ttlMs } = this.options;
    const tmpfs = (sizeMb: number) => ({ sizeMb, uid: SANDBOX_USER.uid, gid: SANDBOX_USER.gid });
    await this.track(() => this.runtime.createVolume({ name: this.workspaceVolume, labels: jobLabels(jobId, 'workspace', ttlMs), tmpfs: tmpfs(this.options.workspaceMb) }));
    await this.track(() => this.runtime.createVolume({ name: this.proberVolume, labels: jobLabels(jobId, 'prober-code', ttlMs), tmpfs: tmpfs(PROBER_VOLUME_MB) }));
    const keeper = await this.track(() =>
      ManagedContainer.create(
        this.runtime,
        keeperSpec({ jobId, image: this.options.helperImage, name: this.nextName('keeper'), ttlMs, volumes: [this.workspaceVolume, this.proberVolume] }),
        { stdout: new CappedOutput(1024, 0), stderr: new CappedOutput(1024, 0) },
      ),
    );
    await keeper.start();
  }

  /**
   * Copies the planned submission files (and the CA bundle, for the registries) into the
   * workspace, through a container of the helper image that is created and never started:
   * nothing of the candidate's image runs, so it may lack every tool.
   */
  async copySubmission(submission: { root: string; plan: PackPlan; caBundlePath: string | null }): Promise<void> {
    if (this.workspaceCopied) return;
    const container = await this.track(() => ManagedContainer.create(
      this.runtime,
      buildSpec({
        jobId: this.jobId,
        image: this.options.helperImage,
        name: this.nextName('copy'),
        cmd: ['true'],
        env: {},
        caps: { memoryMb: 32, cpus: 0.5, pids: 8, tmpfsMb: 1 },
        ttlMs: this.options.ttlMs,
        workspaceVolume: this.workspaceVolume,
        network: false,
        caches: [],
      }),
      { stdout: new CappedOutput(1024, 0), stderr: new CappedOutput(1024, 0) },
    ));
    try {
      await container.copyIn(packPlan(submission.root, submission.plan, 'app', SANDBOX_USER), WORKSPACE_MOUNT);
      if (submission.caBundlePath) {
        const ca = await readFile(submission.caBundlePath);
        await container.copyIn(await filesTar({ [CA_PATH.slice(WORKSPACE_MOUNT.length + 1)]: ca }, SANDBOX_USER), WORKSPACE_MOUNT);
      }
      this.workspaceCopied = true;
    } finally {
      await container.remove();
    }
  }

  /**
   * Runs one build step (install, build, the candidate's tests) to completion in the
   * copied workspace. Only HOME and CI are set here; the toolchain's env comes in `env`.
   */
  async runBuildStep(options: {
    cmd: string[];
    env: Record<string, string>;
    caps: Caps;
    deadlineMs: number;
    network: boolean;
    caches: Array<{ volume: string; target: string }>;
  }): Promise<StepRun> {
    if (!this.workspaceCopied) throw new Error('copySubmission must run before any build step');
    const output = new CappedOutput(LOG_HEAD, LOG_TAIL);
    const container = await this.track(() => ManagedContainer.create(
      this.runtime,
      buildSpec({
        jobId: this.jobId,
        image: this.options.image,
        name: this.nextName('build'),
        cmd: options.cmd,
        env: { ...BASE_ENV, CI: 'true', ...options.env },
        caps: options.caps,
        ttlMs: this.options.ttlMs,
        workspaceVolume: this.workspaceVolume,
        network: options.network,
        caches: options.caches,
      }),
      { stdout: output, stderr: output },
    ));
    await container.start();
    const exit = await container.waitExit(options.deadlineMs);
    return { exit, log: output.text(), logTruncated: output.truncated };
  }

  /** Starts the server with the built files mounted read-only and no network. */
  async startCandidate(options: { cmd: string[]; env: Record<string, string>; caps: Caps }): Promise<RunningCandidate> {
    const output = new CappedOutput(LOG_HEAD, LOG_TAIL);
    const container = await this.track(() => ManagedContainer.create(
      this.runtime,
      candidateSpec({
        jobId: this.jobId,
        image: this.options.image,
        name: this.nextName('candidate'),
        cmd: options.cmd,
        env: { ...BASE_ENV, ...options.env },
        caps: options.caps,
        ttlMs: this.options.ttlMs,
        workspaceVolume: this.workspaceVolume,
      }),
      { stdout: output, stderr: output },
    ));
    await container.start();
    const memory = new MemorySampler(container.handle);
    await memory.start();
    return { container, output, memory };
  }

  /**
   * Runs the prober bundle (in the helper image) against a running candidate, and stops
   * waiting as soon as the server dies instead of letting every check time out. A
   * candidate already gone when the prober would join its network is no harness error:
   * the run comes back empty, and the candidate's state says what happened.
   */
  async runProber(options: {
    candidate: RunningCandidate;
    bundle: string;
    input: unknown;
    caps: Caps;
    deadlineMs: number;
    files?: ProberFiles;
  }): Promise<ProberRun> {
    const stdout = new CappedOutput(PROBER_STDOUT_CAP, 0);
    const stderr = new CappedOutput(LOG_HEAD, LOG_TAIL);
    const started = performance.now();
    const candidateGone = async (error: unknown): Promise<ProberRun> => {
      if ((await options.candidate.container.state()).running) throw error;
      const exit: ContainerExit = { exitCode: null, timedOut: false, oomKilled: false, durationMs: performance.now() - started };
      return { exit, stdout: '', stdoutTruncated: false, stderr: 'the candidate exited before the prober could join its network' };
    };
    let prober: ManagedContainer;
    try {
      prober = await this.track(() => ManagedContainer.create(
        this.runtime,
        proberSpec({
          jobId: this.jobId,
          image: this.options.helperImage,
          name: this.nextName('prober'),
          cmd: ['node', `${PROBER_MOUNT}/prober.mjs`, `${PROBER_MOUNT}/input.json`],
          env: { HOME: '/tmp', NODE_ENV: 'production' },
          caps: options.caps,
          ttlMs: this.options.ttlMs,
          candidateId: options.candidate.container.id,
          codeVolume: this.proberVolume,
        }),
        { stdout, stderr },
      ));
    } catch (error) {
      return candidateGone(error);
    }
    await prober.copyIn(
      await filesTar({ 'prober.mjs': options.bundle, 'input.json': JSON.stringify(options.input) }, SANDBOX_USER),
      PROBER_MOUNT,
    );
    if (options.files) await prober.copyIn(packPlan(options.files.root, options.files.plan, options.files.prefix, SANDBOX_USER), PROBER_MOUNT);
    try {
      await prober.start();
    } catch (error) {
      // An engine may check the namespace only at start (Docker does).
      return candidateGone(error);
    }
    const candidateDied = options.candidate.container.exited().then(() => 'candidate' as const);
    const proberDone = prober.waitExit(options.deadlineMs).then((exit) => ({ exit }));
    const first = await Promise.race([candidateDied, proberDone]);
    let exit: ContainerExit;
    if (first === 'candidate') {
      await prober.kill();
      exit = await prober.describeExit(null);
    } else {
      exit = first.exit;
    }
    return { exit, stdout: stdout.headText(), stdoutTruncated: stdout.truncated, stderr: stderr.text() };
  }

  /** Stops and removes an instance; returns the peak memory it reached while it ran. */
  async stopCandidate(candidate: RunningCandidate): Promise<MemoryPeak> {
    const peak = await candidate.memory.stop();
    await candidate.container.kill();
    await candidate.container.remove();
    return peak;
  }

  /** Removes every container and volume of this job. Safe to call more than once. */
  async dispose(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    await removeLabelled(this.runtime, { [LABELS.job]: this.jobId });
  }
}
