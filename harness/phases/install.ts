import { existsSync } from 'node:fs';
import { errorMessage } from '../../core/errors.ts';
import { ensureCache } from '../../sandbox/cache/ensure-cache.ts';
import { egressAllowlist, egressMode, urlHosts } from '../../sandbox/egress/allowlist.ts';
import { egressFinding, egressWatched } from '../../sandbox/egress/egress-finding.ts';
import { resolveImage } from '../../sandbox/image/resolve-image.ts';
import { CA_PATH, SandboxJob, type StepRun } from '../../sandbox/sandbox-job.ts';
import { repoFiles } from '../../sandbox/toolchains/repo-files.ts';
import type { CacheMount, Toolchain, ToolchainPlan } from '../../sandbox/toolchains/toolchain.ts';
import type { GradingRun } from '../grading-run.ts';
import { buildCaps } from '../plan/caps.ts';
import { buildEnv } from '../plan/build-env.ts';
import type { Fetched } from './fetch.ts';
import { PhaseFailure, type PhaseSuccess } from './phase-recorder.ts';
import type { Prepared } from './prepare.ts';
import { lifecycleFindings } from '../security/lifecycle-findings.ts';
import { observeLimits } from '../security/limit-findings.ts';
import { assertStepSucceeded, truncatedFlag } from './step-outcome.ts';

const DEFAULT_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

/** The submission in its sandbox, with its dependencies installed. */
export interface Workspace {
  job: SandboxJob;
  toolchain: Toolchain;
  commands: ToolchainPlan;
  /** The app folder's Procfile, if it has one (a start command the repository states). */
  procfile: string | null;
  /** The whole repository on the host: repo signals read it, not just the app folder. */
  repoRoot: string;
  submission: { root: string; plan: Fetched['pack']; caBundlePath: string | null };
  caches: Array<CacheMount & { volume: string }>;
}

/**
 * The toolchain's image and caches, the job's volumes, and its install command run with
 * the registries reachable. Nothing to install is a success.
 */
export async function install(run: GradingRun, prepared: Prepared, fetched: Fetched): Promise<PhaseSuccess<Workspace>> {
  const { runtime } = run.deps;
  const { manifest, request } = run;
  if (!fetched.choice.toolchain) throw new PhaseFailure('UNSUPPORTED_TOOLCHAIN', 'candidate', fetched.choice.problem);
  const { toolchain } = fetched.choice;
  run.facts.toolchain = { toolchain, because: fetched.choice.because };

  const wanted = request.overrides?.image ?? manifest.runtime.image ?? toolchain.image;
  // An engine of a pool may first load the image from a peer: harness time, not the candidate's.
  const image = await run.clock.aside(() => resolveImage(runtime, wanted)).catch((error: unknown) => {
    throw new PhaseFailure('HARNESS_ERROR', 'harness', errorMessage(error));
  });
  run.facts.image = image;
  // A slimmer image to run in (a Go binary, a Java jar), unless the grader named one image for everything.
  const runImageWanted = !request.overrides?.image && !manifest.runtime.image ? toolchain.runImage : undefined;
  const runImage = runImageWanted
    ? await run.clock.aside(() => resolveImage(runtime, runImageWanted)).catch((error: unknown) => {
        throw new PhaseFailure('HARNESS_ERROR', 'harness', errorMessage(error));
      })
    : null;
  const caches = request.sharedCaches === false
    ? []
    : await Promise.all(toolchain.caches.map(async (cache) => ({ ...cache, volume: await ensureCache(runtime, { id: cache.id, helperImage: prepared.helperImage.name }) })));

  // Install and build reach only the allowlist, through the job's egress proxy, unless the
  // grader turned it off (GRADER_EGRESS=open).
  let egress: { allow: string[] } | null;
  try {
    const mirrors = urlHosts((toolchain.hostEnv ?? []).map((name) => process.env[name]));
    egress = egressMode() === 'proxy' ? { allow: egressAllowlist([...manifest.egress.allow, ...mirrors]) } : null;
  } catch (error) {
    throw new PhaseFailure('HARNESS_ERROR', 'harness', errorMessage(error));
  }
  const job = run.adopt(new SandboxJob(runtime, {
    jobId: run.jobId,
    image: image.name,
    ...(runImage ? { runImage: runImage.name } : {}),
    helperImage: prepared.helperImage.name,
    ttlMs: run.ttlMs,
    workspaceMb: manifest.limits.workspaceMb,
    egress,
  }));
  await job.createVolumes();

  const files = repoFiles(fetched.appRoot, fetched.pack.entries);
  const planned = await toolchain.plan(files);
  if (!planned.ok) throw new PhaseFailure('INSTALL_FAILED', 'candidate', planned.problem);
  const submission = { root: fetched.appRoot, plan: fetched.pack, caBundlePath: resolveCaBundle(request.caBundlePath) };
  const workspace: Workspace = { job, toolchain, commands: planned.plan, procfile: await files.read('Procfile'), repoRoot: fetched.source.root, submission, caches };
  const step = planned.plan.install;
  const via = `${toolchain.title} (${fetched.choice.because}) in ${image.name}${runImage ? `, run in ${runImage.name}` : ''}`;
  await job.copySubmission(submission);
  // Known before anything runs, so a failed install still lists the scripts it ran.
  run.facts.findings.push(...(await lifecycleFindings(files)));
  run.facts.watched.add("install-time code: the project's lifecycle scripts, dependencies' install scripts (package-lock.json), setup.py");
  if (!step) return { value: workspace, message: `${via}: nothing to install` };
  const result = await job.runBuildStep({
    cmd: step.cmd,
    env: buildEnv(toolchain, { caches, caPath: submission.caBundlePath ? CA_PATH : null }),
    caps: buildCaps(manifest),
    deadlineMs: manifest.deadlines.install * 1000,
    network: true,
    caches: caches.map(({ volume, target }) => ({ volume, target })),
  });
  recordEgress(run, job, 'install', result);
  observeLimits(run.facts.limits, 'install', result.exit.limits);
  assertStepSucceeded(result, 'INSTALL_FAILED', step.display, manifest.deadlines.install);
  return { value: workspace, message: `${via}: ${step.display} exited 0`, log: result.log, flags: truncatedFlag(result.logTruncated) };
}

/**
 * What the egress proxy refused during a step, as a finding on the grading, and that it
 * watched: recorded before the step's outcome is judged, so a failed install still says.
 */
export function recordEgress(run: GradingRun, job: SandboxJob, where: 'install' | 'build', result: StepRun): void {
  const allow = job.egressAllowlist;
  if (!allow || !result.egressDenied) return;
  run.facts.watched.add(egressWatched(allow));
  const finding = egressFinding(where, result.egressDenied);
  if (finding) run.facts.findings.push(finding);
}

function resolveCaBundle(explicit: string | null | undefined): string | null {
  if (explicit !== undefined) return explicit;
  const fromEnv = process.env.NODE_EXTRA_CA_CERTS ?? process.env.SSL_CERT_FILE;
  if (fromEnv && existsSync(fromEnv)) return fromEnv;
  return existsSync(DEFAULT_CA_BUNDLE) ? DEFAULT_CA_BUNDLE : null;
}
