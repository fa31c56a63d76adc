import type { RepoSignals } from '../../core/report.ts';
import type { GradingRun } from '../grading-run.ts';
import { buildCaps } from '../plan/caps.ts';
import { buildEnv } from '../plan/build-env.ts';
import { readRepoSignals } from '../repo/read-signals.ts';
import { repoFiles } from '../../sandbox/toolchains/repo-files.ts';
import { serviceFamily } from '../baseline/service-family.ts';
import { observeLimits } from '../security/limit-findings.ts';
import type { Workspace } from './install.ts';
import type { PhaseSuccess } from './phase-recorder.ts';

/**
 * What the repository says about how it was made: README, files, commit timeline, and the
 * candidate's own tests, run in the sandbox without network under a deadline.
 */
export async function readRepo(run: GradingRun, workspace: Workspace): Promise<PhaseSuccess<RepoSignals>> {
  const { manifest, request } = run;
  const files = repoFiles(workspace.submission.root, workspace.submission.plan.entries);
  run.facts.family = await serviceFamily(files, workspace.toolchain.id);
  const signals = await readRepoSignals(workspace.repoRoot, { deadline: request.deadline ?? null, timeBoxHours: manifest.timeBoxHours ?? null });
  let tests: RepoSignals['tests'] = { status: 'none', passed: null, failed: null, runner: null, detail: 'no test script' };
  let log: string | undefined;
  const step = workspace.commands.test;
  if (step) {
    // The candidate's tests run the candidate's code: a cache they need (Go's modules and
    // compiled packages) is mounted read-only, so nothing they do reaches the next grading.
    const testCaches = workspace.caches.filter((cache) => cache.inTests === 'read-only');
    const result = await workspace.job.runBuildStep({
      cmd: step.cmd,
      env: buildEnv(workspace.toolchain, { caches: testCaches, caPath: null, extra: { NODE_ENV: 'test' } }),
      caps: buildCaps(manifest),
      deadlineMs: manifest.deadlines.tests * 1000,
      network: false,
      caches: testCaches.map(({ volume, target }) => ({ volume, target, readOnly: true })),
    });
    log = result.log;
    observeLimits(run.facts.limits, "the candidate's tests", result.exit.limits);
    const counts = workspace.toolchain.parseTestSummary(result.log);
    const status = result.exit.timedOut ? 'timeout' : result.exit.exitCode === 0 ? 'passed' : 'failed';
    tests = {
      status,
      passed: counts?.passed ?? null,
      failed: counts?.failed ?? null,
      runner: counts?.runner ?? null,
      detail: `${step.display} ${status === 'timeout' ? `did not finish within ${manifest.deadlines.tests} s` : `exited ${result.exit.exitCode}`}${counts ? ` (${counts.runner}: ${counts.passed} passed, ${counts.failed} failed)` : ''}`,
    };
  }
  const value: RepoSignals = { ...signals, tests };
  run.facts.repo = value;
  return {
    value,
    message: `own tests: ${tests.detail}; README ${signals.readme.present ? `${signals.readme.words} words` : 'missing'}; ${signals.commits.note}`,
    ...(log !== undefined ? { log } : {}),
  };
}
