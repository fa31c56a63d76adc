import type { LoadRun, LoadSettings } from '../../core/load.ts';

/** max/min of one figure across runs. */
export const spreadOf = (values: readonly number[]): number => Math.max(...values) / Math.max(Math.min(...values), 0.001);

/**
 * Whether the load probe has measured enough: always `minRuns` (capped by `runs`), then
 * stop as soon as the runs agree within `agreeWithin` on p95 and on req/s, or at `runs`.
 * A third run is bought only when two disagree, so a steady server is measured in two.
 */
export function enoughRuns(runs: readonly LoadRun[], settings: Pick<LoadSettings, 'runs' | 'minRuns' | 'agreeWithin'>): { stop: boolean; reason: string } {
  const floor = Math.min(settings.minRuns, settings.runs);
  if (runs.length < floor) return { stop: false, reason: '' };
  const p95 = spreadOf(runs.map((run) => run.latencyMs.p95));
  const rps = spreadOf(runs.map((run) => run.rps));
  const agree = p95 <= settings.agreeWithin && rps <= settings.agreeWithin;
  const figures = `p95 spread ×${p95.toFixed(2)}, req/s spread ×${rps.toFixed(2)}`;
  if (runs.length === 1 && settings.runs === 1) return { stop: true, reason: '1 run, as configured' };
  if (agree) return { stop: true, reason: `${runs.length} runs agreed within ×${settings.agreeWithin} (${figures})` };
  if (runs.length >= settings.runs) return { stop: true, reason: `${runs.length} runs, the maximum; they did not agree within ×${settings.agreeWithin} (${figures})` };
  return { stop: false, reason: '' };
}
