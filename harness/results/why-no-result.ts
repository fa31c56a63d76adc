import type { InstanceProbe } from '../phases/probe-instance.ts';

/** Why an instance gave no result, most telling cause first: the server died, never became ready, the prober ran out of time. */
export function whyNoResult(outcome: InstanceProbe, words: { during: string; instance: string; timeout: string; problem?: string | null; fallback: string }): string {
  if (outcome.crash) {
    const code = outcome.crash.exitCode !== null ? ` with code ${outcome.crash.exitCode}` : '';
    return `the server exited${code}${outcome.crash.oomKilled ? ' (out of memory)' : ''} ${words.during}`;
  }
  if (outcome.ready && !outcome.ready.ready) return `the ${words.instance} never became ready (${outcome.ready.lastError ?? 'no answer'})`;
  if (outcome.timedOut) return words.timeout;
  return words.problem ?? outcome.proberProblem ?? words.fallback;
}
