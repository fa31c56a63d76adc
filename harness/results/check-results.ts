import { CONNECTION_LOST } from './connection-lost.ts';
import type { CheckDefinition } from '../../graders/check.ts';
import type { CheckLine } from '../../graders/prober/protocol.ts';
import type { Blame } from '../../core/phases.ts';
import type { CheckResult, CheckStatus, Evidence } from '../../core/report.ts';
import type { InstanceProbe } from '../phases/probe-instance.ts';

/** A check result from its definition (metadata, points) and what happened to it. */
export type CheckMetadata = Pick<CheckDefinition, 'id' | 'area' | 'tier' | 'title' | 'points' | 'standard' | 'accepted'>;

export function checkResult(
  check: CheckMetadata,
  outcome: {
    status: CheckStatus;
    message: string;
    durationMs?: number;
    evidence?: Evidence[];
    evidenceOmitted?: number;
    borderline?: boolean;
    blame?: Blame;
    startedAt?: number;
    instance?: string;
    /** False only for a check that does not fit the declared API. */
    applies?: boolean;
  },
): CheckResult {
  const applies = outcome.applies ?? true;
  return {
    id: check.id,
    area: check.area,
    tier: check.tier,
    title: check.title,
    status: outcome.status,
    // A check that ran and found nothing to hold against the submission (no Link header
    // to judge, an opaque cursor) gave one of its accepted answers: its points are earned.
    // One that never ran keeps its points in the maximum, withheld. The maximum is every
    // applicable check's points, so it never depends on what ran.
    points: applies && (outcome.status === 'pass' || outcome.status === 'skip') ? check.points : 0,
    maxPoints: applies ? check.points : 0,
    message: outcome.message,
    standard: check.standard,
    accepted: check.accepted,
    durationMs: Math.round(outcome.durationMs ?? 0),
    ...(outcome.startedAt !== undefined ? { startedAt: outcome.startedAt } : {}),
    ...(outcome.instance !== undefined ? { instance: outcome.instance } : {}),
    evidence: outcome.evidence ?? [],
    evidenceOmitted: outcome.evidenceOmitted ?? 0,
    ...(outcome.borderline !== undefined ? { borderline: outcome.borderline } : {}),
    ...(outcome.blame !== undefined ? { blame: outcome.blame } : {}),
    applies,
  };
}

/** Checks that never ran, with why and whose fault that is: never a failure. */
export function notRun(checks: readonly CheckMetadata[], reason: string, blame: Blame): CheckResult[] {
  return checks.map((check) => checkResult(check, { status: 'not_run', message: `not run: ${reason}`, blame }));
}

function describeCrash(probe: InstanceProbe): string {
  const crash = probe.crash;
  if (!crash) return '';
  if (crash.oomKilled) return 'the server was killed for exceeding its memory limit';
  return `the server exited${crash.exitCode !== null ? ` with code ${crash.exitCode}` : ''}`;
}

/**
 * Results for the checks one instance was asked to run, in order. Checks the prober never
 * reported are explained: the one running when the server died failed because of it (the
 * server died serving it); the ones after it, and every check of an instance that never
 * came up or ran out of time, did not run.
 */
export function instanceResults(checks: readonly CheckDefinition[], probe: InstanceProbe, instanceLabel: string): CheckResult[] {
  const byId = new Map<string, CheckLine>(probe.checks.map((line) => [line.id, line]));
  const crashedIn = probe.crash ? checkInterruptedByCrash(probe.checks, probe.crash.atMs) : null;
  let firstMissing = crashedIn === null;
  return checks.map((check) => {
    const line = byId.get(check.id);
    if (line && crashedIn) {
      if (line.id === crashedIn.id) {
        return checkResult(check, { ...line, instance: instanceLabel, status: 'fail', message: `CRASHED: ${describeCrash(probe)} during this check (${line.message})` });
      }
      if (line.startedAt > crashedIn.startedAt) {
        return checkResult(check, { status: 'not_run', message: `not run: ${describeCrash(probe)} during ${crashedIn.id}, before this check`, blame: 'candidate' });
      }
    }
    // The prober says not_run only when an earlier check on the instance was cut off by the server's slowness.
    if (line) return checkResult(check, { ...line, instance: instanceLabel, ...(line.status === 'not_run' ? { blame: 'candidate' as const } : {}) });
    const first = firstMissing;
    firstMissing = false;
    if (probe.crash) {
      return first && probe.ready?.ready
        ? checkResult(check, { status: 'fail', message: `CRASHED: ${describeCrash(probe)} during this check` })
        : checkResult(check, { status: 'not_run', message: `not run: ${describeCrash(probe)} during the ${instanceLabel}'s checks`, blame: 'candidate' });
    }
    if (probe.ready && !probe.ready.ready) {
      return checkResult(check, {
        status: 'not_run',
        message: `not run: the ${instanceLabel} never answered HTTP (${probe.ready.lastError ?? 'no answer'})`,
        evidence: probe.ready.evidence,
        blame: 'candidate',
      });
    }
    if (probe.timedOut) {
      return checkResult(check, { status: 'not_run', message: 'not run: the checks phase deadline passed before this check finished', blame: 'harness' });
    }
    return checkResult(check, { status: 'error', message: `harness error: ${probe.proberProblem ?? 'the prober did not report this check'}`, blame: 'harness' });
  });
}


/**
 * The reported check during which the server died: the first, in time, to lose its
 * connection (the engine records the exit a little late, so the exit time alone would
 * blame a later check), among those that started before the recorded exit.
 */
function checkInterruptedByCrash(lines: readonly CheckLine[], crashAtMs: number | null): CheckLine | null {
  const ordered = [...lines].sort((a, b) => a.startedAt - b.startedAt);
  const candidates = crashAtMs === null ? ordered : ordered.filter((line) => line.startedAt <= crashAtMs);
  return candidates.find((line) => line.evidence.some((entry) => CONNECTION_LOST.test(entry.error ?? ''))) ?? null;
}
