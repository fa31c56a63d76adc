import type { CheckDefinition, CheckOutcome } from '../check.ts';
import type { LoadLine } from '../prober/protocol.ts';
import type { LoadMeasurement } from '../../core/load.ts';

export interface LoadBaseline {
  rps: number;
  p95: number;
  /** Where the figures come from, e.g. "reference, cached 2026-11-22T15:00Z". */
  source: string;
  /** Its framework family ("node/express"); null when unknown. */
  family: string | null;
  /**
   * False when the only yardstick is of another family than the submission (raw node:http
   * against an Express submission): the ratio then measures the framework, not the code.
   */
  comparable: boolean;
}

export interface LoadVerdictInput {
  line: LoadLine;
  sloP95Ms: number;
  minThroughputRatio: number;
  maxTailRatio: number;
  tailFloorMs: number;
  baseline: LoadBaseline | null;
}

export type LoadCheckDefinition = Omit<CheckDefinition, 'run' | 'instance' | 'isolation'> & {
  evaluate(input: LoadVerdictInput, measurement: LoadMeasurement): CheckOutcome & { borderline?: boolean };
};

const ms = (value: number) => `${value.toFixed(1)} ms`;
const totals = (m: LoadMeasurement) => {
  const non2xx = m.runs.flatMap((run) => Object.entries(run.non2xx));
  const byStatus: Record<string, number> = {};
  for (const [status, count] of non2xx) byStatus[status] = (byStatus[status] ?? 0) + count;
  return {
    errors: m.runs.reduce((sum, run) => sum + run.errors, 0),
    timeouts: m.runs.reduce((sum, run) => sum + run.timeouts, 0),
    requests: m.runs.reduce((sum, run) => sum + run.requests, 0),
    byStatus,
  };
};

/** Figures shared by every load verdict's message. */
export function describeMeasurement(m: LoadMeasurement): string {
  const { median } = m;
  return `${m.runs.length} runs × ${m.settings.durationS} s at ${m.settings.connections} connections on ${m.settings.path} (${m.seeded} items): median ${median.rps.toFixed(0)} req/s, p50 ${ms(median.latencyMs.p50)}, p95 ${ms(median.latencyMs.p95)}, p99 ${ms(median.latencyMs.p99)}; p95 spread ×${m.spread.p95.toFixed(2)}`;
}

export const LOAD_CHECKS: readonly LoadCheckDefinition[] = [
  {
    id: 'load.no-errors',
    area: 'load',
    tier: 'must',
    title: 'No errors, timeouts or non-2xx answers under load',
    points: 10,
    standard: 'Assignment contract: "no errors" at 50 concurrent connections',
    accepted: 'zero transport errors, zero timeouts and only 2xx answers across all measured runs',
    evaluate(_input, m) {
      const t = totals(m);
      const statuses = Object.entries(t.byStatus).map(([status, count]) => `${count}× ${status}`).join(', ');
      if (t.errors + t.timeouts > 0 || statuses) {
        return { status: 'fail', message: `${t.errors} errors, ${t.timeouts} timeouts${statuses ? `, ${statuses}` : ''} in ${t.requests} requests` };
      }
      return { status: 'pass', message: `${t.requests} requests, all 2xx, no errors or timeouts` };
    },
  },
  {
    id: 'load.p95-slo',
    area: 'load',
    tier: 'must',
    title: 'p95 latency under the service-level objective',
    points: 10,
    standard: 'Assignment contract: "p95 under 100 ms at 50 concurrent connections"',
    accepted: 'median over runs of the p95 of 2xx latencies ≤ the manifest SLO; within ±15% of it the verdict is marked borderline',
    evaluate({ sloP95Ms }, m) {
      const p95 = m.median.latencyMs.p95;
      const borderline = Math.abs(p95 - sloP95Ms) <= 0.15 * sloP95Ms;
      const note = borderline ? ` — borderline (within 15% of the SLO; spread across runs ×${m.spread.p95.toFixed(2)})` : '';
      if (p95 <= sloP95Ms) return { status: 'pass', message: `p95 ${ms(p95)} ≤ ${sloP95Ms} ms${note}`, borderline };
      return { status: 'fail', message: `p95 ${ms(p95)} > ${sloP95Ms} ms (p50 ${ms(m.median.latencyMs.p50)}, p99 ${ms(m.median.latencyMs.p99)})${note}`, borderline };
    },
  },
  {
    id: 'load.health-after',
    area: 'load',
    tier: 'must',
    title: '/health still answers after the load',
    points: 5,
    standard: 'Assignment contract: the service stays up',
    accepted: 'GET /health answers 2xx right after the last run',
    evaluate({ line }) {
      return line.healthAfter.ok
        ? { status: 'pass', message: `health answered ${line.healthAfter.detail} after the load` }
        : { status: 'fail', message: `health answered ${line.healthAfter.detail} after the load` };
    },
  },
  {
    id: 'load.throughput-vs-reference',
    area: 'load',
    tier: 'signal',
    title: 'Throughput is comparable to the reference solution on this machine',
    points: 5,
    standard: 'Relative figure: the reference measured by the same probe, machine and image',
    accepted: 'median req/s ≥ the manifest fraction of the reference\'s (not run when no baseline exists)',
    evaluate({ baseline, minThroughputRatio }, m) {
      // The harness could not measure its yardstick: no verdict, and not the candidate's doing.
      if (!baseline) return { status: 'not_run', message: 'not run: no reference baseline for this machine and image', blame: 'harness' };
      const ratio = m.median.rps / Math.max(baseline.rps, 0.001);
      const text = `${m.median.rps.toFixed(0)} req/s = ${ratio.toFixed(2)}× the reference's ${baseline.rps.toFixed(0)} (p95 ${(m.median.latencyMs.p95 / Math.max(baseline.p95, 0.001)).toFixed(2)}× the reference's)`;
      // Another framework's fixed cost per request is not a flaw: information, and the absolute SLO judges.
      if (!baseline.comparable) return { status: 'skip', message: `information: ${text}; the yardstick is ${baseline.family ?? 'of another framework'} and the assignment has no solution of this submission's family, so the ratio is not judged (load.p95-slo is)` };
      return ratio >= minThroughputRatio ? { status: 'pass', message: text } : { status: 'fail', message: `${text}; below ${minThroughputRatio}×` };
    },
  },
  {
    id: 'load.tail-latency',
    area: 'load',
    tier: 'signal',
    title: 'Tail latency stays close to the median (p99/p50)',
    points: 3,
    standard: 'Latency distribution: a long tail points at event-loop blocking or GC pressure',
    accepted: 'median p99 / median p50 ≤ the manifest ratio, or median p99 under the manifest floor (default 25 ms)',
    evaluate({ maxTailRatio, tailFloorMs }, m) {
      const ratio = m.median.latencyMs.p99 / Math.max(m.median.latencyMs.p50, 0.001);
      const text = `p99/p50 = ${ratio.toFixed(1)} (${ms(m.median.latencyMs.p99)} / ${ms(m.median.latencyMs.p50)})`;
      if (ratio <= maxTailRatio || m.median.latencyMs.p99 < tailFloorMs) return { status: 'pass', message: `${text}; p99 under ${tailFloorMs} ms or within ×${maxTailRatio}` };
      return { status: 'fail', message: `${text} > ${maxTailRatio} and p99 over ${tailFloorMs} ms` };
    },
  },
];
