import type { CheckResult } from '../../core/report.ts';
import { suiteResults } from '../../graders/suite/suite-results.ts';
import type { RunningCandidate } from '../../sandbox/sandbox-job.ts';
import type { GradingRun } from '../grading-run.ts';
import { SUITE_CAPS } from '../plan/caps.ts';
import { reusesStarted, runCheckIds, type InstanceRun } from '../plan/instance-runs.ts';
import { suitePlaceholder } from '../plan/plan-suites.ts';
import { checkResult, instanceResults, notRun } from '../results/check-results.ts';
import { describeExit } from '../results/describe-exit.ts';
import { whyNoResult } from '../results/why-no-result.ts';
import { PhaseFailure, type PhaseSuccess } from './phase-recorder.ts';
import type { InstanceProbe } from './probe-instance.ts';
import type { Prepared } from './prepare.ts';
import type { Started } from './start.ts';

/**
 * Every planned instance in turn (check instances and suite instances alike): start it
 * (or take the one the start phase brought up), run its checks or its suite through the
 * prober, read the verdicts, stop it. A server that crashed fails the phase after the
 * rest were run, so one crash does not hide the other verdicts.
 */
export async function runChecks(run: GradingRun, started: Started, prepared: Prepared): Promise<PhaseSuccess<void>> {
  const { manifest, plan, facts } = run;
  const { instances } = started;
  let spare: RunningCandidate | null = started.first;
  if (!plan.runs.some((planned) => reusesStarted(planned, 'relaxed'))) {
    await instances.discard(started.first);
    spare = null;
  }
  const crashes: string[] = [];
  let crashLog: string | undefined;
  const began = performance.now();
  for (const planned of plan.runs) {
    const remainingMs = manifest.deadlines.checks * 1000 - (performance.now() - began);
    if (remainingMs <= 0) {
      facts.results.push(...unfinished(planned, `the ${manifest.deadlines.checks} s deadline for checks passed`));
      continue;
    }
    const instance = spare && reusesStarted(planned, 'relaxed') ? spare : await instances.launch(planned.profile);
    if (instance === spare) spare = null;
    run.log.debug({ run: planned.label, checks: runCheckIds(planned) }, 'probing instance');
    const outcome = await probeRun(run, started, prepared, planned, instance, remainingMs);
    const results = verdicts(planned, outcome);
    facts.results.push(...results);
    if (outcome.crash) {
      crashes.push(`${planned.label}: ${describeExit(outcome.crash, instance.output.text(), manifest)}`);
      crashLog ??= `output of the ${planned.label} (head and tail):\n${instance.output.text()}`;
    }
    if (outcome.proberProblem && !outcome.crash) throw new PhaseFailure('HARNESS_ERROR', 'harness', outcome.proberProblem);
    await instances.stop(instance, planned.label, planned.kind === 'suite' ? [planned.suite.spec.id, ...results.map((r) => r.id)] : runCheckIds(planned));
  }
  if (plan.memoryCheck) facts.results.push(checkResult(plan.memoryCheck, plan.memoryCheck.evaluate(facts.resources)));
  const passed = facts.results.filter((result) => result.status === 'pass').length;
  const summary = `${passed}/${facts.results.length} checks passed`;
  if (crashes.length > 0) throw new PhaseFailure('CRASHED', 'candidate', `${summary}; the server crashed (${crashes.join('; ')})`, crashLog);
  return { value: undefined, message: summary };
}

function probeRun(run: GradingRun, started: Started, prepared: Prepared, planned: InstanceRun, instance: RunningCandidate, remainingMs: number): Promise<InstanceProbe> {
  if (planned.kind === 'checks') {
    return started.instances.probe(instance, { profile: planned.profile, checkIds: runCheckIds(planned), deadlineMs: remainingMs });
  }
  const { spec, cwd, files } = planned.suite;
  return started.instances.probe(instance, {
    profile: planned.profile,
    deadlineMs: Math.min(remainingMs, (spec.timeoutS + run.manifest.deadlines.start + 15) * 1000),
    mode: { mode: 'suite', suite: { command: spec.command, cwd, timeoutMs: spec.timeoutS * 1000, junitFile: spec.junitFile ?? null } },
    caps: SUITE_CAPS,
    files,
    // A suite whose runner is not node runs in a prober image that has it (python and pytest).
    ...(spec.runner !== 'node' && prepared.runnerImages[spec.runner] ? { image: prepared.runnerImages[spec.runner] } : {}),
  });
}

/** What one instance's prober output means for the checks it was given. */
function verdicts(planned: InstanceRun, outcome: InstanceProbe): CheckResult[] {
  if (planned.kind === 'checks') return instanceResults(planned.checks, outcome, planned.label);
  if (outcome.suite) return suiteResults(planned.suite.spec, outcome.suite);
  return [
    checkResult(suitePlaceholder(planned.suite.spec), {
      status: outcome.crash ? 'fail' : outcome.timedOut || (outcome.ready && !outcome.ready.ready) ? 'not_run' : 'error',
      ...(outcome.crash ? {} : { blame: outcome.ready && !outcome.ready.ready ? ('candidate' as const) : ('harness' as const) }),
      message: whyNoResult(outcome, { during: 'while the suite ran', instance: 'suite instance', timeout: 'the suite did not finish before the checks deadline', fallback: 'the prober reported no suite result' }),
    }),
  ];
}

/** Checks of a run the deadline left no time for: the harness's planning, never the candidate's failure. */
function unfinished(planned: InstanceRun, reason: string): CheckResult[] {
  return notRun(planned.kind === 'suite' ? [suitePlaceholder(planned.suite.spec)] : planned.checks, reason, 'harness');
}
