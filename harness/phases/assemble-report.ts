import { redactCredentials } from '../../core/redact.ts';
import { REPORT_SCHEMA_VERSION, reportSchema, type Report } from '../../core/report.ts';
import type { GradingRun } from '../grading-run.ts';
import { envByProfile } from '../plan/instance-env.ts';
import { suitePlaceholder } from '../plan/plan-suites.ts';
import { interviewPrompts } from '../repo/interview-prompts.ts';
import { loadRubric, suggestLevels } from '../repo/rubric.ts';
import { checkResult, notRun } from '../results/check-results.ts';
import { orderLikeCatalogue } from '../results/order-results.ts';
import { securitySection } from '../security/security-section.ts';
import { HARNESS_VERSION } from '../version.ts';

/**
 * The report from what the phases recorded, however far they got: every planned check
 * appears (skipped, with the reason, when it never ran), then rubric suggestions and
 * interview prompts from the checks that did run.
 */
export async function assembleReport(run: GradingRun): Promise<Report> {
  const { facts, plan, manifest, request } = run;
  const stopped = run.recorder.failed();
  const ran = new Set(facts.results.map((result) => result.id));
  const suiteRan = (id: string) => [...ran].some((ranId) => ranId === id || ranId.startsWith(`${id}.`));
  const pending = [...(plan.portCheck ? [plan.portCheck] : []), ...plan.checks, ...plan.suites.map((suite) => suitePlaceholder(suite.spec)), ...(plan.memoryCheck ? [plan.memoryCheck] : []), ...plan.loadChecks];
  const results = [
    ...facts.results,
    ...plan.notApplicable.map(({ check, reason }) => checkResult(check, { status: 'skip', message: `not applicable: ${reason}`, applies: false })),
    ...notRun(pending.filter((check) => !ran.has(check.id) && !suiteRan(check.id)), stopped ? `the ${stopped.name} phase failed (${stopped.code})` : 'the grading ended before it', stopped?.blame ?? 'harness'),
  ];
  // A broken rubric costs the suggestions, never the report.
  const rubric = await loadRubric(request.assignment.dir).catch((error: unknown) => {
    run.log.warn({ err: error }, 'rubric not loaded');
    return null;
  });
  const phases = run.recorder.finish();
  const security = securitySection({
    recorded: facts.findings,
    watched: facts.watched,
    limits: facts.limits,
    sandboxLimits: manifest.limits,
    phases,
    checks: results,
  });
  const securityResults = plan.securityChecks.map((check) => checkResult(check, check.evaluate(security, results)));
  const checks = orderLikeCatalogue([...results, ...securityResults], plan.catalogue, plan.suites.map((suite) => suite.spec.id));
  const finishedAt = new Date();
  const { source, image, toolchain } = facts;
  return reportSchema.parse({
    schemaVersion: REPORT_SCHEMA_VERSION,
    jobId: run.jobId,
    gradable: !phases.some((phase) => phase.status === 'failed' && phase.blame === 'harness') && !checks.some((result) => result.status === 'error'),
    startedAt: run.startedAt.toISOString(),
    finishedAt: finishedAt.toISOString(),
    durationMs: finishedAt.getTime() - run.startedAt.getTime(),
    assignment: { id: manifest.id, version: manifest.version, title: manifest.title },
    submission: {
      name: source?.name ?? fallbackName(request.source),
      source: source?.display ?? redactCredentials(request.source),
      kind: source?.kind ?? 'directory',
      ref: request.ref,
      commit: source?.commit ?? null,
      fetchedAt: run.startedAt.toISOString(),
      dropped: facts.pack?.dropped ?? [],
    },
    environment: {
      harnessVersion: HARNESS_VERSION,
      nodeVersion: process.version,
      engineVersion: facts.engine?.version ?? null,
      image: image ? { name: image.name, id: image.id, substituteFor: image.substituteFor } : { name: request.overrides?.image ?? manifest.runtime.image ?? toolchain?.toolchain.image ?? 'unknown', id: null, substituteFor: null },
      limits: { memoryMb: manifest.limits.memoryMb, cpus: manifest.limits.cpus, pids: manifest.limits.pids },
      candidateEnv: toolchain ? envByProfile(manifest, toolchain.toolchain) : {},
      toolchain: toolchain ? { id: toolchain.toolchain.id, title: toolchain.toolchain.title, because: toolchain.because } : null,
      start: facts.start,
      port: facts.port,
    },
    phases,
    load: facts.load,
    resources: facts.resources,
    checks,
    security,
    repo: facts.repo,
    rubric: rubric ? suggestLevels(rubric, checks, facts.repo, security) : [],
    prompts: interviewPrompts(checks, facts.repo, security),
    score: {
      points: checks.reduce((sum, result) => sum + result.points, 0),
      max: checks.reduce((sum, result) => sum + result.maxPoints, 0),
    },
  } satisfies Report);
}

function fallbackName(source: string): string {
  return redactCredentials(source).split(/[\\/]/).filter(Boolean).pop()?.replace(/\.git$/, '') ?? 'submission';
}
