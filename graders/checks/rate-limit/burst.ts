import type { CheckContext } from '../../check.ts';
import type { ProbeResult } from '../../http/probe-client.ts';

export interface Burst {
  key: string;
  results: ProbeResult[];
  elapsedMs: number;
}

/**
 * Sequential requests on one fresh identity, stopping early when `until` says so.
 * Sequential on purpose: concurrency is its own check, and here we want an exact count.
 */
export async function burst(
  ctx: CheckContext,
  label: string,
  count: number,
  until: (result: ProbeResult) => boolean = () => false,
): Promise<Burst> {
  const { http, params, nonce } = ctx;
  const key = `tg-${label}-${nonce}-${Math.random().toString(36).slice(2, 8)}`;
  const results: ProbeResult[] = [];
  const started = performance.now();
  for (let i = 1; i <= count; i += 1) {
    const result = await http.send({
      method: 'GET',
      path: params.rateLimit.probePath,
      headers: { [params.rateLimit.identityHeader]: key },
      note: `request ${i} on key ${key}`,
    });
    results.push(result);
    if (!result.ok || until(result)) break;
  }
  return { key, results, elapsedMs: performance.now() - started };
}

export const is429 = (result: ProbeResult): boolean => result.ok && result.status === 429;
