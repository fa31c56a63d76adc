import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { CappedOutput } from './container/capped-output.ts';
import {
  CA_PATH,
  PROBER_MOUNT,
  SANDBOX_USER,
  WORKSPACE_MOUNT,
  buildSpec,
  candidateSpec,
  workspaceCopySpec,
  WORKSPACE_COPIED,
  keeperSpec,
  proberSpec,
} from './container/container-specs.ts';
import { ManagedContainer, type ContainerExit } from './container/managed-container.ts';
import { MemorySampler, type MemoryPeak } from './container/memory-sampler.ts';
import { filesTar } from './copy/files-tar.ts';
import { EgressProxy } from './egress/egress-proxy.ts';
import type { DeniedAttempt } from './egress/proxy-server.ts';
import { packPlan, type PackPlan } from './copy/pack-directory.ts';
import { jobLabels, LABELS } from './labels.ts';
import { removeLabelled } from './remove-labelled.ts';
import type { Caps, SandboxRuntime } from './runtime/sandbox-runtime.ts';

export { CA_PATH, SANDBOX_USER };

/**
 * Inside the workspace, beside the app: writable at every step and copied into every
 * instance with the app (toolchains keep a tool's downloads there, outside the app folder).
 */
export const WORKSPACE_HOME = '/workspace/home';
/** Copying a built workspace (node_modules included) into an instance's volume. */
const COPY_DEADLINE_MS = 120_000;
const LOG_HEAD = 16 * 1024;
const LOG_TAIL = 16 * 1024;
const PROBER_STDOUT_CAP = 8 * 1024 * 1024;
/** The bundle, plus a hidden suite's folder (node_modules included, if its runner needs them). */
const PROBER_VOLUME_MB = 256;
/** The root is read-only; /tmp is the tmpfs, so a tool that wants a writable home gets one there. */
const BASE_ENV = { HOME: '/tmp' };

export interface SandboxJobOptions {
  jobId: string;
  /** The candidate's image: install, build and the candidate's tests run in it (and the server, unless runImage). */
  image: string;
  /** The image candidate instances run in, when the toolchain has a slimmer one (Toolchain.runImage, resolved). */
  runImage?: string;
  /** The harness's own image: the keeper and the prober run in it, never in the candidate's. */
  helperImage: string;
  /** How long the labels say the objects may live, should this process die without cleaning up. */
  ttlMs: number;
  /** Size of the RAM-backed workspace: the most a build can write. */
  workspaceMb: number;
  /**
   * Install and build reach only these host:port pairs, through the job's egress proxy;
   * absent or null: the engine's default network, as before the proxy.
   */
  egress?: { allow: readonly string[] } | null;
}

export interface StepRun {
  exit: ContainerExit;
  /** Head and tail of stdout+stderr, interleaved as written. */
  log: string;
  logTruncated: boolean;
  /** What the egress proxy refused during the step (`dropped`: past what it keeps); null without proxy or network. */
  egressDenied: { attempts: DeniedAttempt[]; dropped: number } | null;
}

export interface RunningCandidate {
  container: ManagedContainer;
  output: CappedOutput;
  /** The instance's own writable copy of the built workspace (a volume removed with it). */
  workspace: string;
  /** Holds that volume mounted while the instance lives. */
  holder: ManagedContainer;
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
  private proxy: Promise<EgressProxy> | null = null;

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
      // A writable home beside the app that travels with the workspace into every instance
      // (a tool's own downloads, e.g. corepack's), and the CA bundle for the registries.
      const files: Record<string, string | Buffer> = { [`${WORKSPACE_HOME.slice(WORKSPACE_MOUNT.length + 1)}/.keep`]: '' };
      if (submission.caBundlePath) files[CA_PATH.slice(WORKSPACE_MOUNT.length + 1)] = await readFile(submission.caBundlePath);
      await container.copyIn(await filesTar(files, SANDBOX_USER), WORKSPACE_MOUNT);
      this.workspaceCopied = true;
    } finally {
      await container.remove();
    }
  }

  /** The host:port pairs install and build may reach; null when they get the open network. */
  get egressAllowlist(): readonly string[] | null {
    return this.options.egress?.allow ?? null;
  }

  /** The job's egress proxy, started on the first step that wants the network and kept until dispose. */
  private egressProxy(allow: readonly string[]): Promise<EgressProxy> {
    if (!this.proxy) {
      const { jobId, ttlMs, helperImage } = this.options;
      this.proxy = EgressProxy.start(this.runtime, { jobId, ttlMs, helperImage, allow, name: (role) => this.nextName(role) }, (creation) => this.track(creation));
      // A failed start is the step's error; the next step tries again.
      this.proxy.catch(() => {
        this.proxy = null;
      });
    }
    return this.proxy;
  }

  /**
   * Runs one build step (install, build, the candidate's tests) to completion in the
   * copied workspace. Only HOME and CI are set here; the toolchain's env comes in `env`.
   * With the network and an egress allowlist, the step is attached only to the job's
   * internal network and its proxy env points at the egress proxy.
   */
  async runBuildStep(options: {
    cmd: string[];
    env: Record<string, string>;
    caps: Caps;
    deadlineMs: number;
    network: boolean;
    /** Writable unless readOnly (a cache the test step reads but must not change: CacheMount.inTests). */
    caches: Array<{ volume: string; target: string; readOnly?: boolean }>;
  }): Promise<StepRun> {
    if (!this.workspaceCopied) throw new Error('copySubmission must run before any build step');
    const allow = options.network ? this.egressAllowlist : null;
    const proxy = allow ? await this.egressProxy(allow) : null;
    const output = new CappedOutput(LOG_HEAD, LOG_TAIL);
    const container = await this.track(() => ManagedContainer.create(
      this.runtime,
      buildSpec({
        jobId: this.jobId,
        image: this.options.image,
        name: this.nextName('build'),
        cmd: options.cmd,
        env: { ...BASE_ENV, CI: 'true', ...options.env, ...proxy?.route.env },
        caps: options.caps,
        ttlMs: this.options.ttlMs,
        workspaceVolume: this.workspaceVolume,
        network: proxy ? proxy.route.network : options.network,
        caches: options.caches,
      }),
      { stdout: output, stderr: output },
    ));
    await container.start();
    const exit = await container.waitExit(options.deadlineMs);
    const egressDenied = proxy ? await proxy.takeDenied() : null;
    return { exit, log: output.text(), logTruncated: output.truncated, egressDenied };
  }

  /** Starts the server with the built files mounted read-only and no network. */
  /**
   * A fresh, writable copy of the built workspace for one instance: a tmpfs volume capped
   * at the workspace size, so no instance sees another's writes and writing without end
   * hits ENOSPC at the cap.
   */
  private async instanceWorkspace(): Promise<{ volume: string; holder: ManagedContainer }> {
    const { jobId, ttlMs } = this.options;
    const volume = this.nextName('instance');
    await this.track(() =>
      this.runtime.createVolume({ name: volume, labels: jobLabels(jobId, 'instance-workspace', ttlMs), tmpfs: { sizeMb: this.options.workspaceMb, uid: SANDBOX_USER.uid, gid: SANDBOX_USER.gid } }),
    );
    const output = new CappedOutput(4096, 4096);
    const holder = await this.track(() =>
      ManagedContainer.create(
        this.runtime,
        workspaceCopySpec({ jobId, image: this.options.helperImage, name: this.nextName('copy'), ttlMs, from: this.workspaceVolume, to: volume }),
        { stdout: output, stderr: output },
      ),
    );
    await holder.start();
    const deadline = performance.now() + COPY_DEADLINE_MS;
    let exited = false;
    void holder.exited().then(() => {
      exited = true;
    });
    while (!output.headText().includes(WORKSPACE_COPIED)) {
      if (exited || performance.now() > deadline) {
        await holder.remove();
        await this.runtime.removeObject({ kind: 'volume', id: volume, name: volume, labels: {} }).catch(() => undefined);
        throw new Error(`copying the built workspace for an instance failed${exited ? '' : ' (timed out)'}: ${output.text().slice(-300)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return { volume, holder };
  }

  async startCandidate(options: { cmd: string[]; env: Record<string, string>; caps: Caps }): Promise<RunningCandidate> {
    const { volume: workspace, holder } = await this.instanceWorkspace();
    const output = new CappedOutput(LOG_HEAD, LOG_TAIL);
    const container = await this.track(() => ManagedContainer.create(
      this.runtime,
      candidateSpec({
        jobId: this.jobId,
        image: this.options.runImage ?? this.options.image,
        name: this.nextName('candidate'),
        cmd: options.cmd,
        env: { ...BASE_ENV, ...options.env },
        caps: options.caps,
        ttlMs: this.options.ttlMs,
        workspaceVolume: workspace,
      }),
      { stdout: output, stderr: output },
    ));
    await container.start();
    const memory = new MemorySampler(container.handle);
    await memory.start();
    return { container, output, memory, workspace, holder };
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
    /** The prober image when not the helper image: a suite runner's (proberImageName('python')). */
    image?: string;
  }): Promise<ProberRun> {
    const stdout = new CappedOutput(PROBER_STDOUT_CAP, 0);
    const stderr = new CappedOutput(LOG_HEAD, LOG_TAIL);
    const started = performance.now();
    const candidateGone = async (error: unknown): Promise<ProberRun> => {
      if ((await options.candidate.container.state()).running) throw error;
      const exit: ContainerExit = { exitCode: null, timedOut: false, oomKilled: false, durationMs: performance.now() - started, limits: null };
      return { exit, stdout: '', stdoutTruncated: false, stderr: 'the candidate exited before the prober could join its network' };
    };
    let prober: ManagedContainer;
    // Probers of one job share the code volume and may run side by side: each gets a
    // folder of its own for the bundle, its instructions and a suite's files.
    const name = this.nextName('prober');
    const own = `runs/${name}`;
    const home = `${PROBER_MOUNT}/${own}`;
    try {
      prober = await this.track(() => ManagedContainer.create(
        this.runtime,
        proberSpec({
          jobId: this.jobId,
          image: options.image ?? this.options.helperImage,
          name,
          cmd: ['node', `${PROBER_MOUNT}/bundles/${bundleName(options.bundle)}`, `${home}/input.json`],
          workingDir: home,
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
    await this.bundleInVolume(prober, options.bundle);
    await prober.copyIn(await filesTar({ [`${own}/input.json`]: JSON.stringify(options.input) }, SANDBOX_USER), PROBER_MOUNT);
    if (options.files) await prober.copyIn(packPlan(options.files.root, options.files.plan, `${own}/${options.files.prefix}`, SANDBOX_USER), PROBER_MOUNT);
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
  /**
   * Stops an instance and returns its peak memory as soon as it is dead; removing its
   * container, holder and workspace goes on in the background (dispose waits for it), so
   * the next instance need not queue behind the engine's clean-up.
   */
  async stopCandidate(candidate: RunningCandidate): Promise<MemoryPeak> {
    const peak = await candidate.memory.stop();
    await candidate.container.kill();
    void this.track(async () => {
      await Promise.allSettled([candidate.container.remove(), candidate.holder.remove()]);
      await this.runtime.removeObject({ kind: 'volume', id: candidate.workspace, name: candidate.workspace, labels: {} }).catch(() => undefined);
    }).catch(() => undefined);
    return peak;
  }

  private readonly bundles = new Map<string, Promise<void>>();

  /**
   * The prober bundle (about 2 MB) is copied into the job's code volume once per distinct
   * bundle, not once per prober: the volume outlives each prober, held by the keeper.
   */
  private bundleInVolume(prober: ManagedContainer, bundle: string): Promise<void> {
    const name = bundleName(bundle);
    let copied = this.bundles.get(name);
    if (!copied) {
      copied = (async () => prober.copyIn(await filesTar({ [`bundles/${name}`]: bundle }, SANDBOX_USER), PROBER_MOUNT))();
      this.bundles.set(name, copied);
      copied.catch(() => this.bundles.delete(name));
    }
    return copied;
  }

  /** Removes every container, volume and network of this job. Safe to call more than once. */
  async dispose(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    await removeLabelled(this.runtime, { [LABELS.job]: this.jobId });
  }
}

/** A bundle's file name in the code volume: its content hash, so two bundles never collide. */
function bundleName(bundle: string): string {
  return `prober-${createHash('sha256').update(bundle).digest('hex').slice(0, 16)}.mjs`;
}
