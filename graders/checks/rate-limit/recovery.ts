import { fail, pass, type CheckContext, type CheckDefinition, type CheckOutcome } from '../../check.ts';
import type { ProbeResponse } from '../../http/probe-client.ts';
import { readRateLimitHeaders } from '../../http/rate-limit-headers.ts';
import { describeResult } from '../../http/describe-result.ts';
import { burst, firstBreakage, is429, sleep } from './burst.ts';
import { parseRetryAfter } from './retry-after.ts';

export const recovery: CheckDefinition = {
  id: 'rate_limit.recovery',
  area: 'rate_limit',
  tier: 'must',
  title: 'After waiting out Retry-After, the key is served again',
  points: 10,
  standard: 'RFC 9110 §10.2.3 (Retry-After: how long to wait before a follow-up request)',
  accepted:
    'after exhausting a client and sending nothing for Retry-After + 1 s (or the window + 1 s without one), the next request is not 429. When that wait exceeds rateLimit.maxWaitS: the 429 advertises a reset (Retry-After, or RateLimit-Reset / X-RateLimit-Reset) of more than 0 and at most the window + 1 s, noted as not waited out',
  instance: 'rate_limit',
  isolation: { need: 'process', why: "a limiter that ignores identities (one global bucket) would let another check's traffic decide this verdict, so a fresh key is not enough" },
  expectedMs: ({ rateLimit }) => rateLimit.windowMs + 1000,
  async run(ctx) {
    const { max, windowMs } = ctx.params.rateLimit;
    const exhausted = await burst(ctx, 'recovery', 2 * max + 2, is429);
    const broken = firstBreakage(exhausted.results);
    if (broken) return fail(broken);
    const limited = exhausted.results.find(is429);
    if (!limited || !limited.ok) return fail(`no 429 within ${exhausted.results.length} requests, so there is nothing to recover from`);
    const advised = parseRetryAfter(limited.headers['retry-after'], Date.now());
    // Silence, not polling: some limiters (correctly or not) extend the window on every hit.
    const waitMs = (typeof advised === 'number' ? Math.min(advised * 1000, windowMs + 1000) : windowMs) + 1000;
    if (waitMs > ctx.params.rateLimit.maxWaitS * 1000) return advertisedReset(ctx, limited, waitMs);
    ctx.http.note(`silent for ${waitMs} ms (Retry-After ${limited.headers['retry-after'] ?? 'absent'} + 1 s slack)`);
    await sleep(waitMs);
    const [after] = (await burst(ctx, 'recovery', 1, undefined, { identity: exhausted.identity })).results;
    if (!after) return fail('no request was sent after the wait');
    if (after.ok && after.status !== 429 && after.status < 500) {
      return pass(`after ${(waitMs / 1000).toFixed(1)} s of silence the same client answered ${after.status}`);
    }
    return fail(`after ${(waitMs / 1000).toFixed(1)} s of silence (Retry-After + 1 s) the same client still answered ${describeResult(after)}`);
  },
};

/**
 * For windows too long to sit out (a budget fixed at 10 per minute): what the 429 says
 * about when the client may come back must at least be possible. Marked in the evidence,
 * so nobody reads it as a recovery that was watched.
 */
function advertisedReset(ctx: CheckContext, limited: ProbeResponse, waitMs: number): CheckOutcome {
  const { windowMs, maxWaitS } = ctx.params.rateLimit;
  const advised = parseRetryAfter(limited.headers['retry-after'], Date.now());
  const reset = readRateLimitHeaders(limited.headers)?.resetSeconds ?? null;
  const seconds = typeof advised === 'number' ? advised : reset;
  ctx.http.note(`not waited out: recovering would take ${(waitMs / 1000).toFixed(0)} s, over rateLimit.maxWaitS (${maxWaitS} s); judging the advertised reset instead`);
  if (seconds === null) return fail(`the 429 advertises no reset (${typeof advised === 'string' ? advised : 'no Retry-After'}, no RateLimit-Reset): a client cannot know when to come back`);
  const ceiling = windowMs / 1000 + 1;
  if (seconds <= 0) return fail(`the 429 advertises a reset in ${seconds} s: a client told to retry now would be limited again`);
  if (seconds > ceiling) return fail(`the 429 advertises a reset in ${seconds} s, longer than the ${windowMs / 1000} s window`);
  return pass(`not waited out (the window is ${windowMs / 1000} s): the 429 advertises a reset in ${seconds} s, within the window`);
}
