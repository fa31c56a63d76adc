import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Logger } from 'pino';
import { CATALOGUE } from '../graders/catalogue.ts';
import type { CheckDefinition } from '../graders/check.ts';
import { INSTANCE_PROFILES, type InstanceProfile } from '../core/profiles.ts';
import { LOAD_CHECKS, describeMeasurement, type LoadBaseline, type LoadCheckDefinition } from '../graders/load/load-checks.ts';
import type { LoadSettings } from '../core/load.ts';
import { proberBundle } from '../graders/prober/build-bundle.ts';
import { memoryCeilingCheck, type MemoryCheckDefinition } from '../graders/resources/memory-check.ts';
import { suiteResults } from '../graders/suite/suite-results.ts';
import type { CheckParams } from '../core/check-params.ts';
import type { ProberInput } from '../graders/prober/protocol.ts';
import { REPORT_SCHEMA_VERSION, reportSchema, type CheckResult, type PhaseName, type RepoSignals, type Report } from '../core/report.ts';
import type { Caps } from '../sandbox/container/container-specs.ts';

import { PackLimitError, planPack, type PackPlan } from '../sandbox/copy/pack-directory.ts';
import { probeEngine, type Engine } from '../sandbox/engine.ts';
import { resolveImage, type ResolvedImage } from '../sandbox/image/resolve-image.ts';
import { ensureNpmCache } from '../sandbox/npm-cache.ts';
import { reapLeftovers } from '../sandbox/reaper.ts';
import type { MemoryPeak } from '../sandbox/container/memory-sampler.ts';
import { SandboxJob, type ProberFiles, type RunningCandidate, type StepRun } from '../sandbox/sandbox-job.ts';
import type { Assignment } from './assignment/load-assignment.ts';
import type { Manifest } from '../core/manifest.ts';
import { HarnessError, UsageError, errorMessage } from '../core/errors.ts';
import { PhaseFailure, PhaseRecorder, PipelineStopped } from './phases/phase-recorder.ts';
import { checkResult, instanceResults, skippedChecks } from './steps/check-results.ts';
import { readBaseline, writeBaseline } from './steps/load-baseline.ts';
import { withMachineLock } from './steps/machine-lock.ts';
import { planCommands, type BuildCommands } from './steps/plan-commands.ts';
import { probeInstance, type InstanceProbe } from './steps/probe-instance.ts';
import { planSuites, suitePlaceholder, type PlannedSuite } from './steps/plan-suites.ts';
import { interviewPrompts } from './repo/interview-prompts.ts';
import { readRepoSignals } from './repo/read-signals.ts';
import { loadRubric, suggestLevels } from './repo/rubric.ts';
import { loadCustomChecks } from './assignment/custom-checks.ts';
import { parseTestSummary } from './repo/test-summary.ts';
import { resolveSource, type SubmissionSource } from './source/resolve-source.ts';
import { onShutdown } from './shutdown.ts';
import { NODE_LEAK_PATTERNS } from '../sandbox/toolchains/node/leak-patterns.ts';
import { HARNESS_VERSION } from './version.ts';

export interface GradeRequest {
  source: string;
  ref: string | null;
  assignment: Assignment;
  /** Host CA bundle handed to the install step so it can reach the registry. */
  caBundlePath?: string | null;
  /** 'baseline': only start and load-probe (the reference), to give other gradings a yardstick. */
  purpose?: 'grade' | 'baseline';
  /** Share one npm cache volume across installs (default true). */
  sharedNpmCache?: boolean;
  /** The candidate's deadline (ISO 8601): commits after it are counted. */
  deadline?: string | null;
}

export interface GradeDeps {
  docker: Engine;
  logger: Logger;
  /** Called as each phase starts (progress displays). */
  onPhase?: (phase: PhaseName) => void;
}

const DEFAULT_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const PROBER_CAPS: Caps = { memoryMb: 256, cpus: 1, pids: 64, tmpfsMb: 16 };
/** A hidden suite's runner may fork workers (node --test, vitest) and needs room for them. */
const SUITE_CAPS: Caps = { memoryMb: 1024, cpus: 1, pids: 256, tmpfsMb: 64 };
const CHECK_TIMEOUT_MS = 30_000;


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
  const purpose = request.purpose ?? 'grade';
  // The assignment's own parts are read before the clock starts: an author's mistake is a
  // one-line UsageError, with no deadline timer left holding the process open.
  const custom = await loadCustomChecks(request.assignment, new Set([...CATALOGUE, ...LOAD_CHECKS].map((check) => check.id)));
  const catalogue = [...CATALOGUE, ...custom.checks];
  const checks = purpose === 'baseline' ? [] : selectChecks(manifest, catalogue);
  const loadChecks = purpose === 'baseline' ? [] : selectLoadChecks(manifest);
  const suites: PlannedSuite[] = purpose === 'baseline' ? [] : await planSuites(request.assignment);
  const memoryCheck = purpose === 'baseline' ? null : selectMemoryCheck(manifest, checks);
  // One deadline for the whole grading: when it passes, every container of the job is
  // removed, and whatever phase was running is recorded as TIMEOUT.
  let overdue: string | null = null;
  const globalTimer = setTimeout(() => {
    overdue = `TIMEOUT: the ${manifest.deadlines.total} s deadline for the whole grading passed`;
    void job?.dispose();
  }, manifest.deadlines.total * 1000);
  const phases = new PhaseRecorder(() => overdue, deps.onPhase);
  let loadSection: Report['load'] = null;
  const results: CheckResult[] = [];
  const resources: Report['resources'] = [];
  const ttlMs = (manifest.deadlines.total + 600) * 1000;

  let engineVersion: string | null = null;
  let image: ResolvedImage | null = null;
  let cpusets: { candidate?: string; prober?: string } = {};
  let ncpu = 1;
  let npmCache: string | null = null;
  let repo: RepoSignals | null = null;
  let source: SubmissionSource | null = null;
  let plan: PackPlan | null = null;
  let job: SandboxJob | null = null;
  let candidate: RunningCandidate | null = null;
  const disposeOnSignal = onShutdown(async () => {
    await job?.dispose();
    await source?.cleanup();
  });

  try {
    ({ engineVersion, image, cpusets, ncpu, npmCache } = await phases.run('prepare', async () => {
      const engine = await probeEngine(docker);
      if (!engine.reachable) throw new PhaseFailure('HARNESS_ERROR', 'harness', `Docker engine not reachable at ${engine.endpoint}: ${engine.error}`);
      const reaped = await reapLeftovers(docker);
      const resolved = await resolveImage(docker, manifest.runtime.image).catch((error: unknown) => {
        throw new PhaseFailure('HARNESS_ERROR', 'harness', errorMessage(error));
      });
      const ncpu = (await docker.info()).NCPU ?? 1;
      // With two or more CPUs the server gets the first and the prober the last.
      const sets = ncpu >= 2 ? { candidate: '0', prober: String(ncpu - 1) } : {};
      const cache = request.sharedNpmCache === false ? null : await ensureNpmCache(docker, resolved.name);
      const removed = reaped.containers + reaped.volumes > 0 ? `; removed ${reaped.containers} containers and ${reaped.volumes} volumes left by crashed runs` : '';
      return {
        value: { engineVersion: engine.version, image: resolved, cpusets: sets, ncpu, npmCache: cache },
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

    job = new SandboxJob(docker, jobId, image.name, ttlMs, manifest.limits.workspaceMb, npmCache);
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

    repo = await phases.run('repo', async () => {
      const signals = await readRepoSignals(submission.root, { deadline: request.deadline ?? null, timeBoxHours: manifest.timeBoxHours ?? null });
      let tests: RepoSignals['tests'] = { status: 'none', passed: null, failed: null, runner: null, detail: 'no test script' };
      let log: string | undefined;
      if (commands.test) {
        // The candidate's own tests: in the sandbox, without network, under a deadline.
        const run = await sandbox.runBuildStep({
          cmd: commands.test,
          env: { NODE_ENV: 'test' },
          caps: buildCaps,
          deadlineMs: manifest.deadlines.tests * 1000,
          network: false,
          submission,
        });
        log = run.log;
        const counts = parseTestSummary(run.log);
        const status = run.exit.timedOut ? 'timeout' : run.exit.exitCode === 0 ? 'passed' : 'failed';
        tests = {
          status,
          passed: counts?.passed ?? null,
          failed: counts?.failed ?? null,
          runner: counts?.runner ?? null,
          detail: `npm test ${status === 'timeout' ? `did not finish within ${manifest.deadlines.tests} s` : `exited ${run.exit.exitCode}`}${counts ? ` (${counts.runner}: ${counts.passed} passed, ${counts.failed} failed)` : ''}`,
        };
      }
      const value: RepoSignals = { ...signals, tests };
      return {
        value,
        message: `own tests: ${tests.detail}; README ${signals.readme.present ? `${signals.readme.words} words` : 'missing'}; ${signals.commits.note}`,
        ...(log !== undefined ? { log } : {}),
      };
    });

    const bundle = await proberBundle(custom.files);
    const startInstance = (profile: InstanceProfile, cpuset?: string) =>
      sandbox.startCandidate({ cmd: commands.start, env: instanceEnv(manifest, profile), caps: { ...manifestCaps(manifest), cpuset } });
    const probe = (running: RunningCandidate, profile: InstanceProfile, ids: string[], deadlineMs: number, mode?: Partial<ProberInput>, files?: ProberFiles) =>
      probeInstance(sandbox, running, {
        bundle,
        caps: mode?.suite ? SUITE_CAPS : PROBER_CAPS,
        deadlineMs,
        input: { ...proberInput(manifest, profile, ids, jobId), ...mode },
        ...(files ? { files } : {}),
      });
    const recordMemory = (instance: string, ids: string[], peak: MemoryPeak) => {
      resources.push({ instance, checks: ids, peakMemoryMb: peak.peakBytes === null ? null : Math.round((peak.peakBytes / 1024 / 1024) * 10) / 10, samples: peak.samples });
    };

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
      const noteCrash = (label: string, outcome: InstanceProbe, instance: RunningCandidate) => {
        if (!outcome.crash) return;
        crashes.push(`${label}: exit ${outcome.crash.exitCode ?? '?'}${outcome.crash.oomKilled ? ' (OOM)' : ''}`);
        crashLog ??= `output of the ${label} (head and tail):\n${instance.output.text()}`;
      };
      const checksStarted = performance.now();
      for (const run of planInstanceRuns(checks)) {
        const remainingMs = manifest.deadlines.checks * 1000 - (performance.now() - checksStarted);
        if (remainingMs <= 0) {
          results.push(...instanceResults(run.checks, { ready: null, checks: [], load: null, suite: null, crash: null, timedOut: true, proberProblem: null }, run.label));
          continue;
        }
        // The instance started in the start phase serves the first shared relaxed run.
        const reuse = candidate !== null && run.profile === 'relaxed' && !run.fresh;
        const instance = reuse && candidate ? candidate : await startInstance(run.profile);
        candidate = null;
        log.debug({ run: run.label, checks: run.checks.map((check) => check.id) }, 'probing instance');
        const outcome = await probe(instance, run.profile, run.checks.map((check) => check.id), remainingMs);
        results.push(...instanceResults(run.checks, outcome, run.label));
        noteCrash(run.label, outcome, instance);
        if (outcome.proberProblem && !outcome.crash) throw new PhaseFailure('HARNESS_ERROR', 'harness', outcome.proberProblem);
        recordMemory(run.label, run.checks.map((check) => check.id), await sandbox.stopCandidate(instance));
      }
      for (const suite of suites) {
        const label = `${suite.spec.instance} instance for suite ${suite.spec.id}`;
        const remainingMs = manifest.deadlines.checks * 1000 - (performance.now() - checksStarted);
        if (remainingMs <= 0) {
          results.push(checkResult(suitePlaceholder(suite.spec), { status: 'fail', message: `not run: the ${manifest.deadlines.checks} s deadline for checks passed` }));
          continue;
        }
        const instance = await startInstance(suite.spec.instance);
        const outcome = await probe(instance, suite.spec.instance, [], Math.min(remainingMs, (suite.spec.timeoutS + manifest.deadlines.start + 15) * 1000), {
          mode: 'suite',
          suite: { command: suite.spec.command, cwd: suite.cwd, timeoutMs: suite.spec.timeoutS * 1000, junitFile: suite.spec.junitFile ?? null },
        }, suite.files);
        const suiteChecks = outcome.suite
          ? suiteResults(suite.spec, outcome.suite)
          : [
              checkResult(suitePlaceholder(suite.spec), {
                status: outcome.crash ? 'fail' : 'error',
                message: whyNoResult(outcome, { during: 'while the suite ran', instance: 'suite instance', timeout: 'the suite did not finish before the checks deadline', fallback: 'the prober reported no suite result' }),
              }),
            ];
        results.push(...suiteChecks);
        noteCrash(label, outcome, instance);
        if (outcome.proberProblem && !outcome.crash) throw new PhaseFailure('HARNESS_ERROR', 'harness', outcome.proberProblem);
        recordMemory(label, [suite.spec.id, ...suiteChecks.map((check) => check.id)], await sandbox.stopCandidate(instance));
      }
      if (memoryCheck) {
        const verdict = memoryCheck.evaluate(resources);
        results.push(checkResult(memoryCheck, verdict));
      }
      const passed = results.filter((result) => result.status === 'pass').length;
      const summary = `${passed}/${results.length} checks passed`;
      if (crashes.length > 0) throw new PhaseFailure('CRASHED', 'candidate', `${summary}; the server crashed (${crashes.join('; ')})`, crashLog);
      return { value: undefined, message: summary };
    });

    await phases.run('load', async () => {
      if (!manifest.load.enabled || (loadChecks.length === 0 && purpose !== 'baseline')) {
        return { value: undefined, message: 'load probe not enabled for this assignment' };
      }
      const settings = loadSettings(manifest);
      const outcome = await withMachineLock('load-probe', async () => {
        // Only the measured instance is pinned: the server gets one CPU, the generator another.
        const instance = await startInstance('relaxed', cpusets.candidate);
        try {
          return await probeInstance(sandbox, instance, {
            bundle,
            caps: { ...PROBER_CAPS, cpuset: cpusets.prober },
            deadlineMs: manifest.deadlines.load * 1000,
            input: { ...proberInput(manifest, 'relaxed', [], jobId), mode: 'load', load: settings },
          });
        } finally {
          recordMemory('load instance', [], await sandbox.stopCandidate(instance));
        }
      });
      const measurement = outcome.load?.measurement ?? null;
      if (!outcome.load || !measurement) {
        const why = whyNoResult(outcome, {
          during: 'under load',
          instance: 'load instance',
          timeout: `the load probe did not finish within ${manifest.deadlines.load} s`,
          problem: outcome.load?.problem ?? null,
          fallback: 'the prober reported no load figures',
        });
        results.push(...loadChecks.map((check) => checkResult(check, { status: 'fail', message: why, evidence: outcome.load?.evidence ?? [] })));
        if (outcome.proberProblem && !outcome.crash) throw new PhaseFailure('HARNESS_ERROR', 'harness', outcome.proberProblem);
        throw new PhaseFailure(outcome.crash ? 'CRASHED' : outcome.timedOut ? 'TIMEOUT' : 'NOT_READY', 'candidate', why);
      }
      const key = { assignment: `${manifest.id}@${manifest.version}`, imageId: image?.id ?? 'unknown', settings, cpus: ncpu };
      const own = { rps: measurement.median.rps, p95: measurement.median.latencyMs.p95, source: `reference measured ${new Date().toISOString()}` };
      let baseline: LoadBaseline | null;
      if (purpose === 'baseline' || isReference(request, submission.root)) {
        await writeBaseline(key, own);
        baseline = own;
      } else {
        baseline = (await readBaseline(key)) ?? (await measureBaseline(request, deps));
        if (baseline) await writeBaseline(key, baseline);
      }
      const verdictInput = {
        line: outcome.load,
        sloP95Ms: manifest.load.p95SloMs,
        minThroughputRatio: manifest.load.minThroughputRatio,
        maxTailRatio: manifest.load.maxTailRatio,
        tailFloorMs: manifest.load.tailFloorMs,
        baseline,
      };
      for (const check of loadChecks) {
        const verdict = check.evaluate(verdictInput, measurement);
        results.push(
          checkResult(check, {
            ...verdict,
            notApplicable: verdict.status === 'skip',
            evidence: [{ note: describeMeasurement(measurement) }, ...outcome.load.evidence],
          }),
        );
      }
      loadSection = {
        measurement,
        baseline,
        ratios: baseline ? { rps: measurement.median.rps / baseline.rps, p95: measurement.median.latencyMs.p95 / Math.max(baseline.p95, 0.001) } : null,
        cpusets: { candidate: cpusets.candidate ?? null, prober: cpusets.prober ?? null },
      };
      return { value: undefined, message: describeMeasurement(measurement) };
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
  const suiteRan = (id: string) => [...ran].some((ranId) => ranId === id || ranId.startsWith(`${id}.`));
  const pending = [...checks, ...suites.map((suite) => suitePlaceholder(suite.spec)), ...(memoryCheck ? [memoryCheck] : []), ...loadChecks];
  results.push(...skippedChecks(pending.filter((check) => !ran.has(check.id) && !suiteRan(check.id)), stopped ? `not run: ${stopped.name} failed (${stopped.code})` : 'not run'));
  // A broken rubric costs the suggestions, never the report.
  const rubric = await loadRubric(request.assignment.dir).catch((error: unknown) => {
    log.warn({ err: error }, 'rubric not loaded');
    return null;
  });
  const ordered = orderLikeCatalogue(results, catalogue, suites.map((suite) => suite.spec.id));
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
      candidateEnv: Object.fromEntries(INSTANCE_PROFILES.map((profile) => [profile, instanceEnv(manifest, profile)])),
    },
    phases: phases.finish(),
    load: loadSection,
    resources,
    checks: ordered,
    repo,
    rubric: rubric ? suggestLevels(rubric, ordered, repo) : [],
    prompts: interviewPrompts(ordered, repo),
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
  return INSTANCE_PROFILES.flatMap((profile) => {
    const own = checks.filter((check) => check.instance === profile);
    const shared = own.filter((check) => check.isolation !== 'fresh');
    const fresh = own.filter((check) => check.isolation === 'fresh');
    return [
      ...(shared.length > 0 ? [{ profile, fresh: false, checks: shared, label: `${profile} instance` }] : []),
      ...fresh.map((check) => ({ profile, fresh: true, checks: [check], label: `${profile} instance for ${check.id}` })),
    ];
  });
}

function selectChecks(manifest: Manifest, catalogue: readonly CheckDefinition[]): CheckDefinition[] {
  if (manifest.checks.length === 0) return [...catalogue];
  const known = (id: string) => catalogue.some((check) => check.id === id) || LOAD_CHECKS.some((check) => check.id === id);
  const unknown = manifest.checks.filter((id) => !known(id));
  if (unknown.length > 0) throw new UsageError(`assignment ${manifest.id} names unknown checks: ${unknown.join(', ')}`);
  return catalogue.filter((check) => manifest.checks.includes(check.id));
}

function selectMemoryCheck(manifest: Manifest, checks: readonly CheckDefinition[]): MemoryCheckDefinition | null {
  const { ceilingMb, during, tier, points } = manifest.memory;
  if (ceilingMb === undefined) return null;
  const runnable = new Set([...checks.map((check) => check.id), ...manifest.suites.map((suite) => suite.id)]);
  const unknown = during.filter((id) => !runnable.has(id));
  if (unknown.length > 0) throw new UsageError(`assignment ${manifest.id}: memory.during names checks that do not run: ${unknown.join(', ')}`);
  return memoryCeilingCheck({ ceilingMb, during, tier, points });
}

function selectLoadChecks(manifest: Manifest): LoadCheckDefinition[] {
  if (!manifest.load.enabled) return [];
  if (manifest.checks.length === 0) return [...LOAD_CHECKS];
  return LOAD_CHECKS.filter((check) => manifest.checks.includes(check.id));
}

function loadSettings(manifest: Manifest): LoadSettings {
  const { path, connections, durationS, warmupS, runs, seedCount, timeoutS } = manifest.load;
  return { path, connections, durationS, warmupS, runs, seedCount, timeoutS };
}

/** True when the submission being graded is the assignment's own reference folder. */
function isReference(request: GradeRequest, root: string): boolean {
  return path.resolve(request.assignment.dir, request.assignment.manifest.reference) === path.resolve(root);
}

/** Grades the reference for its load figures only; null when that fails. */
async function measureBaseline(request: GradeRequest, deps: GradeDeps): Promise<LoadBaseline | null> {
  const { assignment } = request;
  const report = await gradeSubmission(
    { source: path.join(assignment.dir, assignment.manifest.reference), ref: null, assignment, purpose: 'baseline', caBundlePath: request.caBundlePath ?? null },
    { docker: deps.docker, logger: deps.logger },
  ).catch(() => null);
  const measured = report?.load?.measurement;
  return measured ? { rps: measured.median.rps, p95: measured.median.latencyMs.p95, source: `reference measured ${report.finishedAt}` } : null;
}

/**
 * Built-in and custom checks, then each suite's tests (a suite's tests share its position,
 * and the stable sort keeps the order they ran in), the memory verdict, the load verdicts.
 */
function orderLikeCatalogue(results: CheckResult[], catalogue: readonly CheckDefinition[], suiteIds: readonly string[]): CheckResult[] {
  const order = [...catalogue.map((check) => check.id), ...suiteIds, 'resources.peak-memory', ...LOAD_CHECKS.map((check) => check.id)];
  const position = (id: string) => {
    const suiteId = suiteIds.find((candidate) => id === candidate || id.startsWith(`${candidate}.`));
    const index = order.indexOf(suiteId ?? id);
    return index >= 0 ? index : order.length;
  };
  return [...results].sort((a, b) => position(a.id) - position(b.id));
}

/** Why an instance gave no result, most telling cause first: the server died, never became ready, the prober ran out of time. */
function whyNoResult(outcome: InstanceProbe, words: { during: string; instance: string; timeout: string; problem?: string | null; fallback: string }): string {
  if (outcome.crash) {
    const code = outcome.crash.exitCode !== null ? ` with code ${outcome.crash.exitCode}` : '';
    return `the server exited${code}${outcome.crash.oomKilled ? ' (out of memory)' : ''} ${words.during}`;
  }
  if (outcome.ready && !outcome.ready.ready) return `the ${words.instance} never became ready (${outcome.ready.lastError ?? 'no answer'})`;
  if (outcome.timedOut) return words.timeout;
  return words.problem ?? outcome.proberProblem ?? words.fallback;
}

function manifestCaps(manifest: Manifest): Caps {
  const { memoryMb, cpus, pids, tmpfsMb } = manifest.limits;
  return { memoryMb, cpus, pids, tmpfsMb };
}

/** The rate-limit budget an instance of this profile is started with. */
function budgetFor(manifest: Manifest, profile: InstanceProfile): { max: number; windowMs: number } {
  return profile === 'rate_limit' ? manifest.rateLimit.probe : manifest.rateLimit.relaxed;
}

function instanceEnv(manifest: Manifest, profile: InstanceProfile): Record<string, string> {
  const { rateLimit, runtime } = manifest;
  const budget = budgetFor(manifest, profile);
  return {
    ...runtime.env,
    PORT: String(runtime.port),
    [rateLimit.maxEnv]: String(budget.max),
    [rateLimit.windowEnv]: String(budget.windowMs),
  };
}

function proberInput(manifest: Manifest, profile: InstanceProfile, checkIds: string[], jobId: string): ProberInput {
  const budget = budgetFor(manifest, profile);
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
    leakPatterns: [...NODE_LEAK_PATTERNS],
  };
  return {
    baseUrl: `http://127.0.0.1:${manifest.runtime.port}`,
    mode: 'checks',
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
