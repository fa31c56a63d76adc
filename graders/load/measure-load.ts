import autocannon from 'autocannon';
import { createHash } from 'node:crypto';
import { enoughRuns, spreadOf } from './stop-rule.ts';
import type { ProbeClient } from '../http/probe-client.ts';
import type { LoadMeasurement, LoadRun, LoadSettings } from '../../core/load.ts';

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: Float64Array | number[], p: number): number {
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank] ?? 0;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

/**
 * One closed-loop run: `connections` clients each send the next request when the last
 * answer arrives. No request rate is set, so autocannon's coordinated-omission correction
 * does not apply; latencies are taken per response from its 'response' event, exactly,
 * over 2xx answers only (non-2xx, errors and timeouts are counted separately).
 */
async function runOnce(baseUrl: string, settings: LoadSettings, durationS: number, nonce: string): Promise<LoadRun> {
  const latencies: number[] = [];
  const non2xx: Record<string, number> = {};
  const { header, count } = settings.identities;
  let nextClient = 0;
  // One identity per connection, as real clients are: a limiter keyed by identity then
  // holds per-client state of one client's size, not one ever-growing entry.
  const setupClient = header
    ? (client: { setHeaders(headers: Record<string, string>): void }) => {
        client.setHeaders({ [header]: `tg-load-${nonce}-${nextClient++ % count}` });
      }
    : undefined;
  const result = await new Promise<autocannon.Result>((resolve, reject) => {
    const instance = autocannon(
      { url: `${baseUrl}${settings.path}`, connections: settings.connections, duration: durationS, timeout: settings.timeoutS, pipelining: 1, ...(setupClient ? { setupClient } : {}) },
      (error, finished) => (error ? reject(error) : resolve(finished)),
    );
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode >= 200 && statusCode < 300) latencies.push(responseTime);
      else non2xx[String(statusCode)] = (non2xx[String(statusCode)] ?? 0) + 1;
    });
  });
  const sorted = Float64Array.from(latencies).sort();
  const requests = latencies.length + Object.values(non2xx).reduce((a, b) => a + b, 0);
  const elapsedS = result.duration || durationS;
  return {
    durationS: elapsedS,
    requests,
    rps: requests / elapsedS,
    latencyMs: {
      p50: percentile(sorted, 50),
      p90: percentile(sorted, 90),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted.length ? (sorted[sorted.length - 1] ?? 0) : 0,
    },
    errors: result.errors - result.timeouts,
    timeouts: result.timeouts,
    non2xx,
  };
}

const CALIBRATION_BLOCK = Buffer.alloc(64 * 1024, 7);

/**
 * A fixed CPU workload (SHA-256 over 16 MiB), best of three: the same work every time, so
 * its duration says how much of this CPU the prober got. Best-of keeps one stray tick out.
 */
export function calibrate(): number {
  let best = Number.POSITIVE_INFINITY;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    const started = performance.now();
    for (let i = 0; i < 256; i += 1) createHash('sha256').update(CALIBRATION_BLOCK).digest();
    best = Math.min(best, performance.now() - started);
  }
  return best;
}

/** Seeds the collection through the API, warms up, then measures until the runs agree (see enoughRuns). */
export async function measureLoad(
  baseUrl: string,
  settings: LoadSettings,
  seed: (count: number) => Promise<number>,
  http: ProbeClient,
  nonce = 'load',
): Promise<LoadMeasurement> {
  const seeded = await seed(settings.seedCount);
  const beforeMs = calibrate();
  http.note(`seeded ${seeded} items; warming up for ${settings.warmupS} s`);
  if (settings.warmupS > 0) await runOnce(baseUrl, settings, settings.warmupS, nonce);
  const runs: LoadRun[] = [];
  let decision = { stop: false, reason: '' };
  while (!decision.stop) {
    runs.push(await runOnce(baseUrl, settings, settings.durationS, nonce));
    decision = enoughRuns(runs, settings);
  }
  http.note(`load: ${decision.reason}`);
  const afterMs = calibrate();
  const calibration = { beforeMs, afterMs, drift: Math.max(beforeMs, afterMs) / Math.max(Math.min(beforeMs, afterMs), 0.001) };
  http.note(`calibration: ${beforeMs.toFixed(1)} ms before, ${afterMs.toFixed(1)} ms after (×${calibration.drift.toFixed(2)})`);
  const p95s = runs.map((run) => run.latencyMs.p95);
  const rpss = runs.map((run) => run.rps);
  return {
    settings,
    seeded,
    runs,
    median: {
      durationS: median(runs.map((run) => run.durationS)),
      requests: Math.round(median(runs.map((run) => run.requests))),
      rps: median(rpss),
      latencyMs: {
        p50: median(runs.map((run) => run.latencyMs.p50)),
        p90: median(runs.map((run) => run.latencyMs.p90)),
        p95: median(p95s),
        p99: median(runs.map((run) => run.latencyMs.p99)),
        max: Math.max(...runs.map((run) => run.latencyMs.max)),
      },
      errors: Math.round(median(runs.map((run) => run.errors))),
      timeouts: Math.round(median(runs.map((run) => run.timeouts))),
    },
    spread: { p95: spreadOf(p95s), rps: spreadOf(rpss) },
    stopReason: decision.reason,
    calibration,
  };
}
