import { availableParallelism, freemem } from 'node:os';
import type { CheckResult } from '../../core/report.ts';
import { suiteResults } from '../../graders/suite/suite-results.ts';
import type { RunningCandidate } from '../../sandbox/sandbox-job.ts';
import type { GradingRun } from '../grading-run.ts';
import { SUITE_CAPS } from '../plan/caps.ts';
import { checksDeadlineMs, instanceConcurrency, startupNote } from '../plan/instance-concurrency.ts';
import { pool } from '../pool.ts';
import { sharingMachine } from './machine-slot.ts';
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
 * Every planned instance (check instances and suite instances alike), several at a time:
 * start it (or take the one the start phase brought up), run its checks or its suite
 * through the prober, read the verdicts, stop it. While one instance's checks run, the
 * next is starting. A server that crashed fails the phase after the rest were run, so one
 * crash does not hide the other verdicts.
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
  let harnessProblem: string | null = null;
  // The deadline counts the grading's own time: waiting behind other gradings' load probes
  // for a slot is the harness's queue, not a slow candidate.
  const began = run.clock.mark();
  const parallel = instanceConcurrency(manifest, { cpus: availableParallelism(), freeMemoryMb: freemem() / 1024 / 1024 });
  const deadlineMs = checksDeadlineMs(manifest, plan.runs.length, parallel, started.startupMs);
  const remaining = () => deadlineMs - run.clock.workedSince(began);
  await pool(plan.runs, parallel, async (planned) => {
    if (remaining() <= 0 || harnessProblem !== null) {
      facts.results.push(...unfinished(planned, harnessProblem !== null ? 'the harness stopped the checks phase' : `the checks deadline passed (${(deadlineMs / 1000).toFixed(0)} s: ${manifest.deadlines.checks} s of checks plus the start-ups)`));
      return;
    }
    const reuse = spare !== null && reusesStarted(planned, 'relaxed');
    const instance = reuse && spare ? spare : null;
    if (reuse) spare = null;
    await sharingMachine(run, async () => {
      let running = instance ?? (await instances.launch(planned.profile));
      run.log.debug({ run: planned.label, checks: runCheckIds(planned) }, 'probing instance');
      let outcome = await probeRun(run, started, prepared, planned, running, remaining());
      if (outcome.proberProblem && !outcome.crash && remaining() > 0) {
        // The prober itself failed (the engine under pressure, a killed helper): that says
        // nothing about the candidate, so the run gets one more try on a fresh instance
        // before the harness gives up on the phase.
        run.log.warn({ run: planned.label, problem: outcome.proberProblem }, 'prober problem; retrying the instance once');
        await instances.stop(running, planned.label, []);
        running = await instances.launch(planned.profile);
        outcome = await probeRun(run, started, prepared, planned, running, remaining());
      }
      const results = verdicts(planned, outcome);
      facts.results.push(...results);
      if (outcome.crash) {
        crashes.push(`${planned.label}: ${describeExit(outcome.crash, running.output.text(), manifest)}`);
        crashLog ??= `output of the ${planned.label} (head and tail):\n${running.output.text()}`;
      }
      if (outcome.proberProblem && !outcome.crash) harnessProblem ??= outcome.proberProblem;
      await instances.stop(running, planned.label, planned.kind === 'suite' ? [planned.suite.spec.id, ...results.map((r) => r.id)] : runCheckIds(planned));
    });
  });
  if (spare) await instances.discard(spare);
  if (harnessProblem !== null) throw new PhaseFailure('HARNESS_ERROR', 'harness', harnessProblem);
  if (plan.memoryCheck) facts.results.push(checkResult(plan.memoryCheck, plan.memoryCheck.evaluate(facts.resources)));
  const passed = facts.results.filter((result) => result.status === 'pass').length;
  const note = startupNote(plan.runs.length, parallel, started.startupMs);
  const queuedS = (run.clock.queued() - began.queued) / 1000;
  const queue = queuedS >= 1 ? `; queued ${queuedS.toFixed(0)} s for the machine behind other gradings (not counted against the deadline)` : '';
  const summary = `${passed}/${facts.results.length} checks passed (${plan.runs.length} instances, up to ${parallel} at once)${note ? `; ${note}` : ''}${queue}`;
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
