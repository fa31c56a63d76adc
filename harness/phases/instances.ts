import type { InstanceProfile } from '../../core/profiles.ts';
import type { ProberInput } from '../../graders/prober/protocol.ts';
import type { Caps } from '../../sandbox/runtime/sandbox-runtime.ts';
import type { ProberFiles, RunningCandidate } from '../../sandbox/sandbox-job.ts';
import type { GradingRun } from '../grading-run.ts';
import { instanceCaps, PROBER_CAPS } from '../plan/caps.ts';
import { instanceEnv } from '../plan/instance-env.ts';
import { proberInput } from '../plan/prober-input.ts';
import type { StartChoice } from '../plan/resolve-start.ts';
import type { Workspace } from './install.ts';
import { observeLimits } from '../security/limit-findings.ts';
import { probeInstance, type InstanceProbe } from './probe-instance.ts';

/**
 * Starts candidate instances of a profile, runs the prober against them, and stops them,
 * recording each instance's peak memory for the report. Shared by the start, checks and
 * load phases.
 */
export class Instances {
  constructor(
    private readonly run: GradingRun,
    private readonly workspace: Workspace,
    private readonly bundle: string,
    readonly start: StartChoice,
  ) {}

  private readonly launchedAt = new WeakMap<RunningCandidate, number>();

  async launch(profile: InstanceProfile, cpuset?: string): Promise<RunningCandidate> {
    const launchedAt = Date.now();
    const instance = await this.workspace.job.startCandidate({
      cmd: this.start.step.cmd,
      env: instanceEnv(this.run.manifest, this.workspace.toolchain, profile),
      caps: instanceCaps(this.run.manifest, cpuset),
    });
    this.launchedAt.set(instance, launchedAt);
    return instance;
  }

  probe(
    instance: RunningCandidate,
    options: { profile: InstanceProfile; checkIds?: string[]; deadlineMs: number; mode?: Partial<ProberInput>; caps?: Caps; files?: ProberFiles; image?: string },
  ): Promise<InstanceProbe> {
    const input = proberInput(this.run.manifest, {
      profile: options.profile,
      checkIds: options.checkIds ?? [],
      nonce: this.run.jobId,
      leakPatterns: this.workspace.toolchain.leakPatterns,
      ...(this.run.facts.port ? { port: this.run.facts.port.actual } : {}),
    });
    return probeInstance(this.workspace.job, instance, {
      bundle: this.bundle,
      caps: options.caps ?? PROBER_CAPS,
      deadlineMs: options.deadlineMs,
      input: { ...input, ...options.mode },
      ...(options.files ? { files: options.files } : {}),
      ...(options.image ? { image: options.image } : {}),
    });
  }

  /** Stops an instance that ran no checks: its memory says nothing about them. */
  async discard(instance: RunningCandidate): Promise<void> {
    observeLimits(this.run.facts.limits, 'an instance that ran no checks', await instance.container.limits());
    await this.workspace.job.stopCandidate(instance);
  }

  async stop(instance: RunningCandidate, label: string, checkIds: readonly string[]): Promise<void> {
    // Read while it runs: the kernel drops the cgroup's counters with the container.
    observeLimits(this.run.facts.limits, label, await instance.container.limits());
    const peak = await this.workspace.job.stopCandidate(instance);
    this.run.facts.resources.push({
      instance: label,
      checks: [...checkIds],
      peakMemoryMb: peak.peakBytes === null ? null : Math.round((peak.peakBytes / 1024 / 1024) * 10) / 10,
      samples: peak.samples,
      ...(this.launchedAt.has(instance) ? { launchedAt: this.launchedAt.get(instance) } : {}),
      stoppedAt: Date.now(),
    });
  }
}
