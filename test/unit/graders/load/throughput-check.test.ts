import { describe, expect, it } from 'vitest';
import type { LoadMeasurement } from '../../../../core/load.ts';
import { LOAD_CHECKS, type LoadBaseline, type LoadVerdictInput } from '../../../../graders/load/load-checks.ts';

const throughput = LOAD_CHECKS.find((check) => check.id === 'load.throughput-vs-reference')!;
const run = { durationS: 10, requests: 30_000, rps: 3000, latencyMs: { p50: 2, p90: 3, p95: 4, p99: 6, max: 20 }, errors: 0, timeouts: 0 };
const measurement = { runs: [{ ...run, non2xx: {} }], median: run, spread: { p95: 1, rps: 1 } } as unknown as LoadMeasurement;
const input = (baseline: LoadBaseline | null): LoadVerdictInput => ({ line: {} as LoadVerdictInput['line'], sloP95Ms: 100, minThroughputRatio: 0.5, maxTailRatio: 10, tailFloorMs: 25, baseline });

describe('load.throughput-vs-reference judges the service, not the framework', () => {
  it('judges against a yardstick of the same family', () => {
    const same = { rps: 10_000, p95: 2, source: 'variant express-fixed-window', family: 'node/express', comparable: true };
    expect(throughput.evaluate(input(same), measurement)).toMatchObject({ status: 'fail', message: expect.stringMatching(/0\.30× .*below 0\.5×/) });
    expect(throughput.evaluate(input({ ...same, rps: 4000 }), measurement).status).toBe('pass');
  });

  it('reports the ratio as information when the only yardstick is another framework', () => {
    const other = { rps: 10_000, p95: 2, source: 'reference', family: 'node/node:http', comparable: false };
    const verdict = throughput.evaluate(input(other), measurement);
    expect(verdict.status).toBe('skip');
    expect(verdict.message).toMatch(/^information: 3000 req\/s = 0\.30× .*node\/node:http.*load\.p95-slo is/);
  });

  it('no yardstick at all is the harness\'s gap, never the candidate\'s', () => {
    expect(throughput.evaluate(input(null), measurement)).toMatchObject({ status: 'not_run', blame: 'harness' });
  });
});

describe('a measurement from a busy machine says so', () => {
  it('is quiet when the calibration held, busy beyond the bound, and quiet when nothing was calibrated', async () => {
    const { machineWasQuiet, CALIBRATION_BOUND } = await import('../../../../harness/phases/load.ts');
    const at = (beforeMs: number, afterMs: number) => ({ ...measurement, calibration: { beforeMs, afterMs, drift: Math.max(beforeMs, afterMs) / Math.min(beforeMs, afterMs) } }) as LoadMeasurement;
    expect(machineWasQuiet(at(40, 44))).toBeNull();
    expect(machineWasQuiet(at(40, 40 * CALIBRATION_BOUND + 5))).toMatch(/^taken on a busy machine: .*40\.0 ms before .*after \(×1\.4\d/);
    expect(machineWasQuiet({ ...measurement, calibration: null } as LoadMeasurement)).toBeNull();
  });
});
