import type { CheckContext } from '../../check.ts';
import type { ProbeResult } from '../../http/probe-client.ts';

export interface Burst {
  key: string;
  results: ProbeResult[];
  elapsedMs: number;
}

export function freshKey(ctx: CheckContext, label: string): string {
  return `tg-${label}-${ctx.nonce}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Sequential requests on one identity, stopping early when `until` says so. Sequential on
 * purpose: concurrency is its own check, and here we want an exact count. `key: null`
 * sends no identity header, so the server must fall back to the client address.
 */
export async function burst(
  ctx: CheckContext,
  label: string,
  count: number,
  until: (result: ProbeResult) => boolean = () => false,
  options: { key?: string | null; headers?: (i: number) => Record<string, string> } = {},
): Promise<Burst> {
  const { http, params } = ctx;
  const key = options.key === undefined ? freshKey(ctx, label) : options.key;
  const results: ProbeResult[] = [];
  const started = performance.now();
  for (let i = 1; i <= count; i += 1) {
    const headers = { ...(key !== null ? { [params.rateLimit.identityHeader]: key } : {}), ...options.headers?.(i) };
    const result = await http.send({
      method: 'GET',
      path: params.rateLimit.probePath,
      headers,
      note: `request ${i}${key !== null ? ` on key ${key}` : ' without a key'}`,
    });
    results.push(result);
    if (!result.ok || until(result)) break;
  }
  return { key: key ?? '(client address)', results, elapsedMs: performance.now() - started };
}

export const is429 = (result: ProbeResult): boolean => result.ok && result.status === 429;
export const is2xx = (result: ProbeResult): boolean => result.ok && result.status >= 200 && result.status < 300;

/** The first 5xx or transport failure in a list of results, described; null when clean. */
export function firstBreakage(results: readonly ProbeResult[]): string | null {
  for (const [index, result] of results.entries()) {
    if (!result.ok) return `request ${index + 1} failed: ${result.error}`;
    if (result.status >= 500) return `request ${index + 1} answered ${result.status}`;
  }
  return null;
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
