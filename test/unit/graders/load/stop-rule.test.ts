import { describe, expect, it } from 'vitest';
import type { LoadRun } from '../../../../core/load.ts';
import { enoughRuns } from '../../../../graders/load/stop-rule.ts';

const run = (p95: number, rps: number): LoadRun => ({
  durationS: 10,
  requests: rps * 10,
  rps,
  latencyMs: { p50: p95 / 2, p90: p95 * 0.9, p95, p99: p95 * 1.2, max: p95 * 2 },
  errors: 0,
  timeouts: 0,
  non2xx: {},
});
const settings = { runs: 3, minRuns: 2, agreeWithin: 1.15 };

describe('enoughRuns: the load probe stops when it knows', () => {
  it('always takes the minimum', () => {
    expect(enoughRuns([run(10, 1000)], settings).stop).toBe(false);
  });

  it('stops after two runs that agree, saying so', () => {
    const decision = enoughRuns([run(10, 1000), run(10.5, 980)], settings);
    expect(decision).toMatchObject({ stop: true, reason: expect.stringMatching(/^2 runs agreed within ×1.15 \(p95 spread ×1.05, req\/s spread ×1.02\)/) });
  });

  it('buys a third run only when two disagree, and stops at the maximum either way', () => {
    expect(enoughRuns([run(10, 1000), run(14, 1000)], settings).stop).toBe(false);
    expect(enoughRuns([run(10, 1000), run(14, 1000), run(20, 1000)], settings)).toMatchObject({ stop: true, reason: expect.stringMatching(/^3 runs, the maximum; they did not agree/) });
  });

  it('honours a single configured run', () => {
    expect(enoughRuns([run(10, 1000)], { runs: 1, minRuns: 2, agreeWithin: 1.15 })).toMatchObject({ stop: true, reason: '1 run, as configured' });
  });
});
