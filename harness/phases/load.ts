import type { LoadSettings } from '../../core/load.ts';
import { describeMeasurement, type LoadBaseline } from '../../graders/load/load-checks.ts';
import type { LoadMeasurement } from '../../core/load.ts';
import type { GradingRun } from '../grading-run.ts';
import { owningMachine } from './machine-slot.ts';
import { PROBER_CAPS } from '../plan/caps.ts';
import { checkResult } from '../results/check-results.ts';
import { whyNoResult } from '../results/why-no-result.ts';
import type { Instances } from './instances.ts';
import { PhaseFailure, type PhaseSuccess } from './phase-recorder.ts';
import type { InstanceProbe } from './probe-instance.ts';

/** Where the reference's figures come from for this measurement (cache, own figures, or a fresh grading of the reference). */
export type BaselineLookup = (own: LoadMeasurement) => Promise<LoadBaseline | null>;

export function loadSettings(run: GradingRun): LoadSettings {
  const { path, connections, durationS, warmupS, runs, minRuns, agreeWithin, seedCount, timeoutS } = run.manifest.load;
  const { identity, identityHeader } = run.manifest.rateLimit;
  const identities = identity === 'ip' ? { header: null, count: 1 } : { header: identityHeader, count: connections };
  return { path, connections, durationS, warmupS, runs, minRuns, agreeWithin, seedCount, timeoutS, identities };
}

/**
 * One load measurement on a fresh instance, taken under the machine-wide lock so no other
 * measurement shares the CPUs; only the measured instance is pinned (server on one CPU,
 * generator on another).
 */
export async function measureInstance(run: GradingRun, instances: Instances): Promise<InstanceProbe> {
  const cpus = run.facts.engine?.cpusets ?? {};
  return owningMachine(run, async () => {
    const instance = await instances.launch('relaxed', cpus.candidate);
    try {
      return await instances.probe(instance, {
        profile: 'relaxed',
        deadlineMs: run.manifest.deadlines.load * 1000,
        caps: { ...PROBER_CAPS, ...(cpus.prober !== undefined ? { cpuset: cpus.prober } : {}) },
        mode: { mode: 'load', load: loadSettings(run) },
      });
    } finally {
      await instances.stop(instance, 'load instance', []);
    }
  });
}

/** The load probe, and the load verdicts judged against the SLO and the reference's figures. */
export async function runLoad(run: GradingRun, instances: Instances, baselineFor: BaselineLookup): Promise<PhaseSuccess<void>> {
  const { manifest, plan, facts } = run;
  if (!manifest.load.enabled || plan.loadChecks.length === 0) return { value: undefined, message: 'load probe not enabled for this assignment' };
  let outcome = await measureInstance(run, instances);
  let quiet = machineWasQuiet(outcome.load?.measurement ?? null);
  if (quiet !== null) {
    // Something else took the CPUs during the measurement: once more, and say so if it persists.
    run.log.info({ drift: outcome.load?.measurement?.calibration?.drift }, 'load calibration moved; measuring again');
    const again = await measureInstance(run, instances);
    if (again.load?.measurement) {
      outcome = again;
      quiet = machineWasQuiet(again.load.measurement);
    }
  }
  const measurement = outcome.load?.measurement ?? null;
  if (!outcome.load || !measurement) {
    const why = whyNoResult(outcome, {
      during: 'under load',
      instance: 'load instance',
      timeout: `the load probe did not finish within ${manifest.deadlines.load} s`,
      problem: outcome.load?.problem ?? null,
      fallback: 'the prober reported no load figures',
    });
    const evidence = outcome.load?.evidence ?? [];
    if (outcome.crash) {
      // The server died under load: observed, and the load verdicts fail on it.
      facts.results.push(...plan.loadChecks.map((check) => checkResult(check, { status: 'fail', message: why, evidence })));
      throw new PhaseFailure('CRASHED', 'candidate', why);
    }
    if (outcome.proberProblem) {
      facts.results.push(...plan.loadChecks.map((check) => checkResult(check, { status: 'error', message: `harness error: ${outcome.proberProblem}`, blame: 'harness' })));
      throw new PhaseFailure('HARNESS_ERROR', 'harness', outcome.proberProblem);
    }
    // Nothing was measured: the verdicts are not run, and the phase says why.
    const seeding = /^seeding stopped/.test(outcome.load?.problem ?? '');
    const code = seeding ? 'SEED_FAILED' : outcome.timedOut ? 'TIMEOUT' : 'NOT_READY';
    const reason = seeding ? `could not be measured: creating the ${manifest.load.seedCount} items it measures failed (${why})` : why;
    facts.results.push(...plan.loadChecks.map((check) => checkResult(check, { status: 'not_run', message: `not run: ${reason}`, evidence, blame: 'candidate' })));
    throw new PhaseFailure(code, 'candidate', reason);
  }
  const baseline = await baselineFor(measurement);
  const input = {
    line: outcome.load,
    sloP95Ms: manifest.load.p95SloMs,
    minThroughputRatio: manifest.load.minThroughputRatio,
    maxTailRatio: manifest.load.maxTailRatio,
    tailFloorMs: manifest.load.tailFloorMs,
    baseline,
  };
  for (const check of plan.loadChecks) {
    const verdict = check.evaluate(input, measurement);
    facts.results.push(checkResult(check, { ...verdict, evidence: [{ note: describeMeasurement(measurement) }, ...outcome.load.evidence] }));
  }
  const cpus = facts.engine?.cpusets ?? {};
  facts.load = {
    measurement,
    baseline,
    ratios: baseline ? { rps: measurement.median.rps / baseline.rps, p95: measurement.median.latencyMs.p95 / Math.max(baseline.p95, 0.001) } : null,
    sloP95Ms: manifest.load.p95SloMs,
    cpusets: { candidate: cpus.candidate ?? null, prober: cpus.prober ?? null },
    busyMachine: quiet,
  };
  return { value: undefined, message: `${describeMeasurement(measurement)}${quiet ? `; ${quiet}` : ''}` };
}

/** How far the calibration may move between before and after and the machine still count as quiet. */
export const CALIBRATION_BOUND = 1.3;

/**
 * Null when the machine stayed as quiet during the measurement as before it (or nothing
 * was calibrated); otherwise the note the report carries.
 */
export function machineWasQuiet(measurement: LoadMeasurement | null): string | null {
  const calibration = measurement?.calibration;
  if (!calibration || calibration.drift <= CALIBRATION_BOUND) return null;
  return `taken on a busy machine: the prober's fixed calibration workload took ${calibration.beforeMs.toFixed(1)} ms before the measurement and ${calibration.afterMs.toFixed(1)} ms after (×${calibration.drift.toFixed(2)}, bound ×${CALIBRATION_BOUND}), also when measured again`;
}
