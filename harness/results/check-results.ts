import type { CheckDefinition } from '../../graders/check.ts';
import type { CheckLine } from '../../graders/prober/protocol.ts';
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
    notApplicable?: boolean;
    borderline?: boolean;
  },
): CheckResult {
  return {
    id: check.id,
    area: check.area,
    tier: check.tier,
    title: check.title,
    status: outcome.status,
    points: outcome.status === 'pass' ? check.points : 0,
    // A check that found itself not applicable (e.g. no Link header to judge) is out of
    // the score; one skipped because the pipeline stopped still counts against it.
    maxPoints: outcome.status === 'skip' && outcome.notApplicable ? 0 : check.points,
    message: outcome.message,
    standard: check.standard,
    accepted: check.accepted,
    durationMs: Math.round(outcome.durationMs ?? 0),
    evidence: outcome.evidence ?? [],
    evidenceOmitted: outcome.evidenceOmitted ?? 0,
    ...(outcome.borderline !== undefined ? { borderline: outcome.borderline } : {}),
  };
}

export function skippedChecks(checks: readonly CheckMetadata[], reason: string): CheckResult[] {
  return checks.map((check) => checkResult(check, { status: 'skip', message: reason }));
}

function describeCrash(probe: InstanceProbe): string {
  const crash = probe.crash;
  if (!crash) return '';
  if (crash.oomKilled) return 'the server was killed for exceeding its memory limit';
  return `the server exited${crash.exitCode !== null ? ` with code ${crash.exitCode}` : ''}`;
}

/**
 * Results for the checks one instance was asked to run, in order. Checks the prober never
 * reported are explained: the one running when the server died failed because of it, and
 * the ones after it were skipped.
 */
export function instanceResults(checks: readonly CheckDefinition[], probe: InstanceProbe, instanceLabel: string): CheckResult[] {
  const byId = new Map<string, CheckLine>(probe.checks.map((line) => [line.id, line]));
  const crashedIn = probe.crash ? checkInterruptedByCrash(probe.checks, probe.crash.atMs) : null;
  let firstMissing = crashedIn === null;
  return checks.map((check) => {
    const line = byId.get(check.id);
    if (line && crashedIn) {
      if (line.id === crashedIn.id) {
        return checkResult(check, { ...line, status: 'fail', message: `CRASHED: ${describeCrash(probe)} during this check (${line.message})` });
      }
      if (line.startedAt > crashedIn.startedAt) {
        return checkResult(check, { status: 'skip', message: `no verdict: ${describeCrash(probe)} during ${crashedIn.id}, before this check` });
      }
    }
    if (line) return checkResult(check, { ...line, notApplicable: line.status === 'skip' });
    const first = firstMissing;
    firstMissing = false;
    if (probe.crash) {
      return first
        ? checkResult(check, { status: 'fail', message: `CRASHED: ${describeCrash(probe)} during this check` })
        : checkResult(check, { status: 'skip', message: `not run: ${describeCrash(probe)} during ${instanceLabel} checks` });
    }
    if (probe.ready && !probe.ready.ready) {
      return checkResult(check, {
        status: 'fail',
        message: `NOT_READY: the ${instanceLabel} instance never answered its health check (${probe.ready.lastError ?? 'no answer'})`,
        evidence: probe.ready.evidence,
      });
    }
    if (probe.timedOut) {
      return checkResult(check, { status: 'fail', message: 'TIMEOUT: the checks phase deadline passed before this check finished' });
    }
    return checkResult(check, { status: 'error', message: `harness error: ${probe.proberProblem ?? 'the prober did not report this check'}` });
  });
}

const CONNECTION_LOST = /^(reset|refused|aborted)/;

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
