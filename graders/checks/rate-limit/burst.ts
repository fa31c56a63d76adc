import type { CheckContext } from '../../check.ts';
import { freshIdentity, type Identity } from '../../http/identity.ts';
import type { ProbeResult } from '../../http/probe-client.ts';

export interface Burst {
  identity: Identity;
  results: ProbeResult[];
  elapsedMs: number;
}

/** A request as `identity` sends it: its header, from its address. */
export const asIdentity = (identity: Identity) => ({ headers: identity.headers, ...(identity.localAddress ? { localAddress: identity.localAddress } : {}) });

/**
 * Sequential requests from one client (a fresh one unless given), stopping early when
 * `until` says so. Sequential on purpose: concurrency is its own check, and here we want
 * an exact count. Each request opens its own connection, so a limiter keyed by the
 * client's port rather than its address never limits anyone.
 */
export async function burst(
  ctx: CheckContext,
  label: string,
  count: number,
  until: (result: ProbeResult) => boolean = () => false,
  options: { identity?: Identity; headers?: (i: number) => Record<string, string> } = {},
): Promise<Burst> {
  const { http, params } = ctx;
  const identity = options.identity ?? freshIdentity(ctx, label);
  const results: ProbeResult[] = [];
  const started = performance.now();
  for (let i = 1; i <= count; i += 1) {
    const sent = asIdentity(identity);
    const result = await http.send({
      method: 'GET',
      path: params.rateLimit.probePath,
      ...sent,
      headers: { ...sent.headers, ...options.headers?.(i) },
      note: `request ${i} from ${identity.label}`,
    });
    results.push(result);
    if (!result.ok || until(result)) break;
  }
  return { identity, results, elapsedMs: performance.now() - started };
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
