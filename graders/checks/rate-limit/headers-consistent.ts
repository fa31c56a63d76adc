import { fail, pass, type CheckDefinition } from '../../check.ts';
import { readRateLimitHeaders } from '../../http/rate-limit-headers.ts';
import { burst, firstBreakage, is429 } from './burst.ts';
import { parseRetryAfter } from './retry-after.ts';

export const headersConsistent: CheckDefinition = {
  id: 'rate_limit.headers',
  area: 'rate_limit',
  tier: 'signal',
  title: 'Rate-limit headers are present and consistent',
  points: 5,
  standard: 'draft-ietf-httpapi-ratelimit-headers (RateLimit/RateLimit-Policy; draft 6 RateLimit-*); de-facto X-RateLimit-*',
  accepted: 'any one convention; limit equals N when given; remaining falls by one per request and is 0 by the 429; Retry-After not earlier than the reset',
  instance: 'rate_limit',
  isolation: { need: 'process', why: "a limiter that ignores identities (one global bucket) would let another check's traffic decide this verdict, so a fresh key is not enough" },
  async run(ctx) {
    const { max } = ctx.params.rateLimit;
    const { results } = await burst(ctx, 'headers', max + 1, is429);
    const broken = firstBreakage(results);
    if (broken) return fail(broken);
    const states = results.map((result) => (result.ok ? readRateLimitHeaders(result.headers) : null));
    const first = states[0];
    if (!first) return fail('no rate-limit headers (RateLimit, RateLimit-*, X-RateLimit-*) on the first response');
    if (first.limit !== null && first.limit !== max) return fail(`${first.scheme}: limit is ${first.limit}, but the budget is ${max}`);
    for (let i = 1; i < max; i += 1) {
      const before = states[i - 1]?.remaining;
      const after = states[i]?.remaining;
      if (before === null || before === undefined || after === null || after === undefined) {
        return fail(`${first.scheme}: remaining missing on response ${i + 1}`);
      }
      if (after !== before - 1) return fail(`${first.scheme}: remaining went ${before} → ${after} between requests ${i} and ${i + 1}`);
    }
    const limited = results[max];
    const lastAllowed = states[max - 1];
    if (!limited || !limited.ok || !is429(limited)) return fail(`request ${max + 1} was not a 429, so the headers at the limit cannot be checked`);
    const atLimit = states[max];
    if (lastAllowed?.remaining !== 0 && atLimit?.remaining !== 0) {
      return fail(`${first.scheme}: remaining never reached 0 (last allowed: ${lastAllowed?.remaining ?? 'absent'}, at the 429: ${atLimit?.remaining ?? 'absent'})`);
    }
    const retry = parseRetryAfter(limited.headers['retry-after'], Date.now());
    const reset = atLimit?.resetSeconds ?? null;
    if (typeof retry === 'number' && reset !== null && retry + 1 < reset) {
      return fail(`Retry-After (${retry} s) is earlier than the advertised reset (${reset} s): a client that obeys it is limited again`);
    }
    return pass(`${first.scheme} headers: limit ${first.limit ?? '—'}, remaining ${states.slice(0, max).map((s) => s?.remaining).join('→')}, reset ${reset ?? '—'} s at the 429`);
  },
};
