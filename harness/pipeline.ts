import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { Logger } from 'pino';
import { CATALOGUE } from '../graders/catalogue.ts';
import type { CheckDefinition, InstanceProfile } from '../graders/check.ts';
import { proberBundle } from '../graders/prober/build-bundle.ts';
import type { CheckParams } from '../graders/prober/check-params.ts';
import type { ProberInput } from '../graders/prober/protocol.ts';
import { REPORT_SCHEMA_VERSION, reportSchema, type CheckResult, type Report } from '../reports/report-schema.ts';
import type { Caps } from '../sandbox/container/container-specs.ts';

import { PackLimitError, planPack, type PackPlan } from '../sandbox/copy/pack-directory.ts';
import { probeEngine, type Engine } from '../sandbox/engine.ts';
import { resolveImage, type ResolvedImage } from '../sandbox/image/resolve-image.ts';
import { reapLeftovers } from '../sandbox/reaper.ts';
import { SandboxJob, type RunningCandidate, type StepRun } from '../sandbox/sandbox-job.ts';
import type { Assignment } from './assignment/load-assignment.ts';
import type { Manifest } from './assignment/manifest-schema.ts';
import { HarnessError, UsageError, errorMessage } from './errors.ts';
import { PhaseFailure, PhaseRecorder, PipelineStopped } from './phases/phase-recorder.ts';
import { instanceResults, skippedChecks } from './steps/check-results.ts';
import { planCommands, type BuildCommands } from './steps/plan-commands.ts';
import { probeInstance, type InstanceProbe } from './steps/probe-instance.ts';
import { resolveSource, type SubmissionSource } from './source/resolve-source.ts';
import { onShutdown } from './shutdown.ts';
import { HARNESS_VERSION } from './version.ts';

export interface GradeRequest {
  source: string;
  ref: string | null;
  assignment: Assignment;
  /** Host CA bundle handed to the install step so it can reach the registry. */
  caBundlePath?: string | null;
}

export interface GradeDeps {
  docker: Engine;
  logger: Logger;
}

const DEFAULT_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const PROBER_CAPS: Caps = { memoryMb: 256, cpus: 1, pids: 64, tmpfsMb: 16 };
const CHECK_TIMEOUT_MS = 30_000;
const INSTANCE_ORDER: readonly InstanceProfile[] = ['relaxed', 'rate_limit'];

/**
 * Grades one submission: prepare → fetch → install → build → start → checks → report.
 * Every phase is timed and recorded; a failed phase stops the run, the rest are marked
 * skipped, and a report is returned whatever happened. Nothing is left in the engine.
 */
export async function gradeSubmission(request: GradeRequest, deps: GradeDeps): Promise<Report> {
  const { docker, logger } = deps;
  const { manifest } = request.assignment;
  const jobId = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const log = logger.child({ jobId, assignment: manifest.id });
  const startedAt = new Date();
  // One deadline for the whole grading: when it passes, every container of the job is
  // removed, and whatever phase was running is recorded as TIMEOUT.
  let overdue: string | null = null;
  const globalTimer = setTimeout(() => {
    overdue = `TIMEOUT: the ${manifest.deadlines.total} s deadline for the whole grading passed`;
    void job?.dispose();
  }, manifest.deadlines.total * 1000);
  const phases = new PhaseRecorder(() => overdue);
  const checks = selectChecks(manifest);
  const results: CheckResult[] = [];
  const ttlMs = (manifest.deadlines.total + 600) * 1000;

  let engineVersion: string | null = null;
  let image: ResolvedImage | null = null;
  let cpusets: { candidate?: string; prober?: string } = {};
  let source: SubmissionSource | null = null;
  let plan: PackPlan | null = null;
  let job: SandboxJob | null = null;
  let candidate: RunningCandidate | null = null;
  const disposeOnSignal = onShutdown(async () => {
    await job?.dispose();
    await source?.cleanup();
  });

  try {
    ({ engineVersion, image, cpusets } = await phases.run('prepare', async () => {
      const engine = await probeEngine(docker);
      if (!engine.reachable) throw new PhaseFailure('HARNESS_ERROR', 'harness', `Docker engine not reachable at ${engine.endpoint}: ${engine.error}`);
      const reaped = await reapLeftovers(docker);
      const resolved = await resolveImage(docker, manifest.runtime.image).catch((error: unknown) => {
        throw new PhaseFailure('HARNESS_ERROR', 'harness', errorMessage(error));
      });
      const ncpu = (await docker.info()).NCPU ?? 1;
      // With two or more CPUs the server gets the first and the prober the last.
      const sets = ncpu >= 2 ? { candidate: '0', prober: String(ncpu - 1) } : {};
      const removed = reaped.containers + reaped.volumes > 0 ? `; removed ${reaped.containers} containers and ${reaped.volumes} volumes left by crashed runs` : '';
      return {
        value: { engineVersion: engine.version, image: resolved, cpusets: sets },
        message: `engine ${engine.version} (${ncpu} CPUs), image ${resolved.name}${removed}`,
      };
    }));

    ({ source, plan } = await phases.run('fetch', async () => {
      const fetched = await resolveSource(request.source, request.ref, manifest.deadlines.fetch * 1000).catch((error: unknown) => {
        if (error instanceof UsageError) throw new PhaseFailure('CLONE_FAILED', 'candidate', error.message);
        throw error;
      });
      source = fetched;
      const packed = await planPack(fetched.root).catch((error: unknown) => {
        if (error instanceof PackLimitError) throw new PhaseFailure('REPO_TOO_LARGE', 'candidate', `submission too large: ${error.message}`);
        throw error;
      });
      return {
        value: { source: fetched, plan: packed },
        message: `${packed.files} files, ${(packed.bytes / 1024).toFixed(0)} KiB${fetched.commit ? ` at ${fetched.commit.slice(0, 12)}` : ''}${packed.dropped.length ? `; left out ${packed.dropped.length} links/special files` : ''}`,
      };
    }));

    job = new SandboxJob(docker, jobId, image.name, ttlMs, manifest.limits.workspaceMb);
    await job.createVolumes();
    const sandbox = job;
    const submission = { root: source.root, plan, caBundlePath: resolveCaBundle(request.caBundlePath) };
    const buildCaps: Caps = { ...manifestCaps(manifest), memoryMb: manifest.limits.buildMemoryMb, tmpfsMb: 1024, pids: 512 };

    const commands: BuildCommands = await phases.run('install', async () => {
      const planned = await planCommands(submission.root, submission.plan);
      const run = await sandbox.runBuildStep({
        cmd: planned.install,
        env: {},
        caps: buildCaps,
        deadlineMs: manifest.deadlines.install * 1000,
        network: true,
        submission,
      });
      assertStepSucceeded(run, 'INSTALL_FAILED', planned.install.join(' '), manifest.deadlines.install);
      return { value: planned, message: `${planned.install.join(' ')} exited 0`, log: run.log, flags: truncatedFlag(run.logTruncated) };
    });

    await phases.run('build', async () => {
      if (!commands.build) return { value: undefined, message: 'no build script; nothing to build' };
      const run = await sandbox.runBuildStep({
        cmd: commands.build,
        env: { NODE_ENV: manifest.runtime.env.NODE_ENV ?? 'production' },
        caps: buildCaps,
        deadlineMs: manifest.deadlines.build * 1000,
        network: true,
        submission,
      });
      assertStepSucceeded(run, 'BUILD_FAILED', 'npm run build', manifest.deadlines.build);
      return { value: undefined, message: 'npm run build exited 0', log: run.log, flags: truncatedFlag(run.logTruncated) };
    });

    const bundle = await proberBundle();
    const startInstance = (profile: InstanceProfile) =>
      sandbox.startCandidate({ cmd: commands.start, env: instanceEnv(manifest, profile), caps: { ...manifestCaps(manifest), cpuset: cpusets.candidate } });
    const probe = (running: RunningCandidate, profile: InstanceProfile, ids: string[], deadlineMs: number) =>
      probeInstance(sandbox, running, {
        bundle,
        caps: { ...PROBER_CAPS, cpuset: cpusets.prober },
        deadlineMs,
        input: proberInput(manifest, profile, ids, jobId),
      });

    candidate = await phases.run('start', async () => {
      const running = await startInstance('relaxed');
      candidate = running;
      const ready = await probe(running, 'relaxed', [], (manifest.deadlines.start + 15) * 1000);
      if (!ready.ready?.ready) throw notReady(ready, running, manifest);
      return {
        value: running,
        message: `answered GET ${manifest.runtime.healthPath} after ${(ready.ready.elapsedMs / 1000).toFixed(1)} s`,
        log: running.output.text(),
        flags: truncatedFlag(running.output.truncated),
      };
    });

    await phases.run('checks', async () => {
      const crashes: string[] = [];
      let crashLog: string | undefined;
      const checksStarted = performance.now();
      for (const run of planInstanceRuns(checks)) {
        const remainingMs = manifest.deadlines.checks * 1000 - (performance.now() - checksStarted);
        if (remainingMs <= 0) {
          results.push(...instanceResults(run.checks, { ready: null, checks: [], crash: null, timedOut: true, proberProblem: null }, run.label));
          continue;
        }
        // The instance started in the start phase serves the first shared relaxed run.
        const reuse = candidate !== null && run.profile === 'relaxed' && !run.fresh;
        const instance = reuse && candidate ? candidate : await startInstance(run.profile);
        candidate = null;
        log.debug({ run: run.label, checks: run.checks.map((check) => check.id) }, 'probing instance');
        const outcome = await probe(instance, run.profile, run.checks.map((check) => check.id), remainingMs);
        results.push(...instanceResults(run.checks, outcome, run.label));
        if (outcome.crash) {
          crashes.push(`${run.label}: exit ${outcome.crash.exitCode ?? '?'}${outcome.crash.oomKilled ? ' (OOM)' : ''}`);
          crashLog ??= `output of the ${run.label} (head and tail):\n${instance.output.text()}`;
        }
        if (outcome.proberProblem && !outcome.crash) throw new PhaseFailure('HARNESS_ERROR', 'harness', outcome.proberProblem);
        await sandbox.stopCandidate(instance);
      }
      const passed = results.filter((result) => result.status === 'pass').length;
      const summary = `${passed}/${results.length} checks passed`;
      if (crashes.length > 0) throw new PhaseFailure('CRASHED', 'candidate', `${summary}; the server crashed (${crashes.join('; ')})`, crashLog);
      return { value: undefined, message: summary };
    });
  } catch (error) {
    if (!(error instanceof PipelineStopped)) throw error;
    log.info({ reason: error.message }, 'pipeline stopped');
  } finally {
    clearTimeout(globalTimer);
    disposeOnSignal();
    await job?.dispose().catch((error: unknown) => log.warn({ err: error }, 'cleanup failed'));
    await source?.cleanup().catch(() => undefined);
  }

  const stopped = phases.failed();
  const ran = new Set(results.map((result) => result.id));
  results.push(...skippedChecks(checks.filter((check) => !ran.has(check.id)), stopped ? `not run: ${stopped.name} failed (${stopped.code})` : 'not run'));
  const finishedAt = new Date();
  const sourceInfo = source as SubmissionSource | null;
  return reportSchema.parse({
    schemaVersion: REPORT_SCHEMA_VERSION,
    jobId,
    gradable: !phases.phases.some((phase) => phase.status === 'failed' && phase.blame === 'harness') &&
      !results.some((result) => result.status === 'error'),
    startedAt: startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - startedAt.getTime(),
    assignment: { id: manifest.id, version: manifest.version, title: manifest.title },
    submission: {
      name: sourceInfo?.name ?? fallbackName(request.source),
      source: sourceInfo?.display ?? request.source,
      kind: sourceInfo?.kind ?? 'directory',
      ref: request.ref,
      commit: sourceInfo?.commit ?? null,
      fetchedAt: startedAt.toISOString(),
      dropped: plan?.dropped ?? [],
    },
    environment: {
      harnessVersion: HARNESS_VERSION,
      nodeVersion: process.version,
      engineVersion,
      image: image ? { name: image.name, id: image.id, substituteFor: image.substituteFor } : { name: manifest.runtime.image, id: null, substituteFor: null },
      limits: { memoryMb: manifest.limits.memoryMb, cpus: manifest.limits.cpus, pids: manifest.limits.pids },
      candidateEnv: Object.fromEntries(INSTANCE_ORDER.map((profile) => [profile, instanceEnv(manifest, profile)])),
    },
    phases: phases.finish(),
    checks: orderLikeCatalogue(results),
    score: {
      points: results.reduce((sum, result) => sum + result.points, 0),
      max: results.reduce((sum, result) => sum + result.maxPoints, 0),
    },
  } satisfies Report);
}

interface InstanceRun {
  profile: InstanceProfile;
  fresh: boolean;
  checks: CheckDefinition[];
  label: string;
}

/**
 * One server instance per run: per profile, the shared checks together, then each check
 * that asked for isolation on an instance of its own.
 */
function planInstanceRuns(checks: readonly CheckDefinition[]): InstanceRun[] {
  return INSTANCE_ORDER.flatMap((profile) => {
    const own = checks.filter((check) => check.instance === profile);
    const shared = own.filter((check) => check.isolation !== 'fresh');
    const fresh = own.filter((check) => check.isolation === 'fresh');
    return [
      ...(shared.length > 0 ? [{ profile, fresh: false, checks: shared, label: `${profile} instance` }] : []),
      ...fresh.map((check) => ({ profile, fresh: true, checks: [check], label: `${profile} instance for ${check.id}` })),
    ];
  });
}

function selectChecks(manifest: Manifest): CheckDefinition[] {
  if (manifest.checks.length === 0) return [...CATALOGUE];
  const unknown = manifest.checks.filter((id) => !CATALOGUE.some((check) => check.id === id));
  if (unknown.length > 0) throw new UsageError(`assignment ${manifest.id} names unknown checks: ${unknown.join(', ')}`);
  return CATALOGUE.filter((check) => manifest.checks.includes(check.id));
}

function orderLikeCatalogue(results: CheckResult[]): CheckResult[] {
  const position = (id: string) => CATALOGUE.findIndex((check) => check.id === id);
  return [...results].sort((a, b) => position(a.id) - position(b.id));
}

function manifestCaps(manifest: Manifest): Caps {
  const { memoryMb, cpus, pids, tmpfsMb } = manifest.limits;
  return { memoryMb, cpus, pids, tmpfsMb };
}

function instanceEnv(manifest: Manifest, profile: InstanceProfile): Record<string, string> {
  const { rateLimit, runtime } = manifest;
  const budget = profile === 'rate_limit' ? rateLimit.probe : rateLimit.relaxed;
  return {
    ...runtime.env,
    PORT: String(runtime.port),
    [rateLimit.maxEnv]: String(budget.max),
    [rateLimit.windowEnv]: String(budget.windowMs),
  };
}

function proberInput(manifest: Manifest, profile: InstanceProfile, checkIds: string[], jobId: string): ProberInput {
  const budget = profile === 'rate_limit' ? manifest.rateLimit.probe : manifest.rateLimit.relaxed;
  const params: CheckParams = {
    healthPath: manifest.runtime.healthPath,
    items: manifest.items,
    pagination: manifest.pagination,
    errors: manifest.errors,
    rateLimit: {
      identityHeader: manifest.rateLimit.identityHeader,
      probePath: manifest.rateLimit.probePath,
      max: budget.max,
      windowMs: budget.windowMs,
    },
  };
  return {
    baseUrl: `http://127.0.0.1:${manifest.runtime.port}`,
    instance: profile,
    readiness: { path: manifest.runtime.healthPath, deadlineMs: manifest.deadlines.start * 1000, intervalMs: 200 },
    checkIds,
    checkTimeoutMs: CHECK_TIMEOUT_MS,
    params,
    nonce: jobId,
  };
}

function truncatedFlag(truncated: boolean): Array<'OUTPUT_TRUNCATED'> {
  return truncated ? ['OUTPUT_TRUNCATED'] : [];
}

function assertStepSucceeded(run: StepRun, code: 'INSTALL_FAILED' | 'BUILD_FAILED', command: string, deadlineS: number): void {
  const { exit, log } = run;
  const flags = truncatedFlag(run.logTruncated);
  if (exit.timedOut) throw new PhaseFailure('TIMEOUT', 'candidate', `${command} did not finish within ${deadlineS} s`, log, flags);
  if (exit.oomKilled) throw new PhaseFailure('OOM_KILLED', 'candidate', `${command} was killed for exceeding its memory limit`, log, flags);
  if (exit.exitCode !== 0) throw new PhaseFailure(code, 'candidate', `${command} exited with code ${exit.exitCode}`, log, flags);
}

function notReady(probe: InstanceProbe, running: RunningCandidate, manifest: Manifest): PhaseFailure {
  const log = running.output.text();
  if (probe.crash) {
    const how = probe.crash.oomKilled ? 'was killed for exceeding its memory limit' : `exited with code ${probe.crash.exitCode ?? '?'}`;
    return new PhaseFailure(probe.crash.oomKilled ? 'OOM_KILLED' : 'CRASHED', 'candidate', `the server ${how} before it became ready`, log);
  }
  if (probe.proberProblem || !probe.ready) {
    throw new HarnessError(probe.proberProblem ?? 'the prober reported no readiness result');
  }
  const { port } = manifest.runtime;
  const elsewhere = probe.ready.listening.filter((listening) => listening !== port);
  if (elsewhere.length > 0 && !probe.ready.listening.includes(port)) {
    return new PhaseFailure(
      'WRONG_PORT',
      'candidate',
      `the server listens on port ${elsewhere.join(', ')}, not on $PORT (${port}); no answer from GET ${manifest.runtime.healthPath} within ${manifest.deadlines.start} s`,
      log,
    );
  }
  return new PhaseFailure(
    'NOT_READY',
    'candidate',
    `no 2xx from GET ${manifest.runtime.healthPath} on port ${manifest.runtime.port} within ${manifest.deadlines.start} s (${probe.ready.attempts} attempts; last: ${probe.ready.lastError ?? 'none'})`,
    log,
  );
}

function resolveCaBundle(explicit: string | null | undefined): string | null {
  if (explicit !== undefined) return explicit;
  const fromEnv = process.env.NODE_EXTRA_CA_CERTS;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return existsSync(DEFAULT_CA_BUNDLE) ? DEFAULT_CA_BUNDLE : null;
}

function fallbackName(source: string): string {
  return source.split(/[\\/]/).filter(Boolean).pop()?.replace(/\.git$/, '') ?? 'submission';
}
