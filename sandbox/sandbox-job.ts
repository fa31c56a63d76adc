import { readFile } from 'node:fs/promises';
import { CappedOutput } from './container/capped-output.ts';
import {
  APP_DIR,
  CA_PATH,
  PROBER_MOUNT,
  SANDBOX_USER,
  WORKSPACE_MOUNT,
  buildSpec,
  candidateSpec,
  keeperSpec,
  proberSpec,
  type Caps,
} from './container/container-specs.ts';
import { MemorySampler, type MemoryPeak } from './container/memory-sampler.ts';
import { ManagedContainer, type ContainerExit } from './container/managed-container.ts';
import { filesTar } from './copy/files-tar.ts';
import { packPlan, type PackPlan } from './copy/pack-directory.ts';
import type { Engine } from './engine.ts';
import { jobLabels, LABELS } from './labels.ts';
import { NPM_CACHE_MOUNT } from './npm-cache.ts';
import { removeLabelled } from './remove-labelled.ts';

export { APP_DIR };

const LOG_HEAD = 16 * 1024;
const LOG_TAIL = 16 * 1024;
const PROBER_STDOUT_CAP = 8 * 1024 * 1024;
/** The bundle, plus a hidden suite's folder (node_modules included, if its runner needs them). */
const PROBER_VOLUME_MB = 256;
/** npm needs a writable HOME and cache; the root is read-only, /tmp is the tmpfs. */
const NPM_ENV = { HOME: '/tmp', npm_config_cache: '/tmp/.npm', npm_config_update_notifier: 'false' };

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
  private readonly workspaceVolume: string;
  private readonly proberVolume: string;
  private counter = 0;
  private workspaceCopied = false;
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(
    private readonly docker: Engine,
    readonly jobId: string,
    private readonly image: string,
    private readonly ttlMs: number,
    /** Size of the RAM-backed workspace: the most a build can write. */
    private readonly workspaceMb = 1024,
    /** Shared npm cache volume for installs (see ensureNpmCache); null for a private one. */
    private readonly npmCacheVolume: string | null = null,
  ) {
    this.workspaceVolume = `tg-${jobId}-workspace`;
    this.proberVolume = `tg-${jobId}-prober`;
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
    const tmpfs = (sizeMb: number) => ({
      type: 'tmpfs',
      device: 'tmpfs',
      o: `size=${sizeMb}m,uid=${SANDBOX_USER.uid},gid=${SANDBOX_USER.gid},mode=0755,nosuid,nodev`,
    });
    await this.track(() =>
      this.docker.createVolume({ Name: this.workspaceVolume, Driver: 'local', DriverOpts: tmpfs(this.workspaceMb), Labels: jobLabels(this.jobId, 'workspace', this.ttlMs) }),
    );
    await this.track(() =>
      this.docker.createVolume({ Name: this.proberVolume, Driver: 'local', DriverOpts: tmpfs(PROBER_VOLUME_MB), Labels: jobLabels(this.jobId, 'prober-code', this.ttlMs) }),
    );
    const keeper = await this.track(() =>
      this.docker.createContainer(
        keeperSpec({ jobId: this.jobId, image: this.image, name: this.nextName('keeper'), ttlMs: this.ttlMs, volumes: [this.workspaceVolume, this.proberVolume] }),
      ),
    );
    await keeper.start();
  }

  /**
   * Runs one build step (install or build) to completion. The first step also copies the
   * planned submission files (and the CA bundle, for the registry) into the workspace.
   */
  async runBuildStep(options: {
    cmd: string[];
    env: Record<string, string>;
    caps: Caps;
    deadlineMs: number;
    network: boolean;
    submission: { root: string; plan: PackPlan; caBundlePath: string | null };
  }): Promise<StepRun> {
    const output = new CappedOutput(LOG_HEAD, LOG_TAIL);
    const cache = this.npmCacheVolume ? { volume: this.npmCacheVolume, target: NPM_CACHE_MOUNT } : undefined;
    const env: Record<string, string> = { ...NPM_ENV, ...(cache ? { npm_config_cache: cache.target } : {}), CI: 'true', ...options.env };
    const hasCa = options.submission.caBundlePath !== null;
    if (hasCa) env.NODE_EXTRA_CA_CERTS = CA_PATH;
    const container = await this.track(() => ManagedContainer.create(
      this.docker,
      buildSpec({
        jobId: this.jobId,
        image: this.image,
        name: this.nextName('build'),
        cmd: options.cmd,
        env,
        caps: options.caps,
        ttlMs: this.ttlMs,
        workspaceVolume: this.workspaceVolume,
        network: options.network,
        npmCache: cache,
      }),
      { stdout: output, stderr: output },
    ));
    if (!this.workspaceCopied) {
      await container.putArchive(packPlan(options.submission.root, options.submission.plan, 'app', SANDBOX_USER), WORKSPACE_MOUNT);
      if (options.submission.caBundlePath) {
        const ca = await readFile(options.submission.caBundlePath);
        await container.putArchive(await filesTar({ 'ca/ca-certificates.crt': ca }, SANDBOX_USER), WORKSPACE_MOUNT);
      }
      this.workspaceCopied = true;
    }
    await container.start();
    const exit = await container.waitExit(options.deadlineMs);
    return { exit, log: output.text(), logTruncated: output.truncated };
  }

  /** Starts the server with the built files mounted read-only and no network. */
  async startCandidate(options: { cmd: string[]; env: Record<string, string>; caps: Caps }): Promise<RunningCandidate> {
    const output = new CappedOutput(LOG_HEAD, LOG_TAIL);
    const env = { ...NPM_ENV, ...options.env };
    const container = await this.track(() => ManagedContainer.create(
      this.docker,
      candidateSpec({
        jobId: this.jobId,
        image: this.image,
        name: this.nextName('candidate'),
        cmd: options.cmd,
        env,
        caps: options.caps,
        ttlMs: this.ttlMs,
        workspaceVolume: this.workspaceVolume,
      }),
      { stdout: output, stderr: output },
    ));
    await container.start();
    const memory = new MemorySampler(container.container);
    await memory.start();
    return { container, output, memory };
  }

  /**
   * Runs the prober bundle against a running candidate. `onCandidateExit` lets the caller
   * stop waiting as soon as the server dies instead of letting every check time out.
   */
  async runProber(options: {
    candidate: RunningCandidate;
    bundle: string;
    input: unknown;
    caps: Caps;
    deadlineMs: number;
    files?: ProberFiles;
  }): Promise<ProberRun & { candidateExitedFirst: boolean }> {
    const stdout = new CappedOutput(PROBER_STDOUT_CAP, 0);
    const stderr = new CappedOutput(LOG_HEAD, LOG_TAIL);
    const prober = await this.track(() => ManagedContainer.create(
      this.docker,
      proberSpec({
        jobId: this.jobId,
        image: this.image,
        name: this.nextName('prober'),
        cmd: ['node', `${PROBER_MOUNT}/prober.mjs`, `${PROBER_MOUNT}/input.json`],
        env: { HOME: '/tmp', NODE_ENV: 'production' },
        caps: options.caps,
        ttlMs: this.ttlMs,
        candidateId: options.candidate.container.id,
        codeVolume: this.proberVolume,
      }),
      { stdout, stderr },
    ));
    await prober.putArchive(
      await filesTar({ 'prober.mjs': options.bundle, 'input.json': JSON.stringify(options.input) }, SANDBOX_USER),
      PROBER_MOUNT,
    );
    if (options.files) await prober.putArchive(packPlan(options.files.root, options.files.plan, options.files.prefix, SANDBOX_USER), PROBER_MOUNT);
    await prober.start();
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
    return {
      exit,
      stdout: stdout.headText(),
      stdoutTruncated: stdout.truncated,
      stderr: stderr.text(),
      candidateExitedFirst: first === 'candidate',
    };
  }

  /** Stops and removes an instance; returns the peak memory it reached while it ran. */
  async stopCandidate(candidate: RunningCandidate): Promise<MemoryPeak> {
    const peak = await candidate.memory.stop();
    await candidate.container.kill();
    await candidate.container.container.remove({ force: true }).catch(() => undefined);
    return peak;
  }

  /** Removes every container and volume of this job. Safe to call more than once. */
  async dispose(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.inFlight]);
    await removeLabelled(this.docker, { [LABELS.job]: this.jobId });
  }
}
