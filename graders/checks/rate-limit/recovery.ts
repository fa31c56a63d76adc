import { fail, pass, type CheckDefinition } from '../../check.ts';
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
  accepted: 'after exhausting a key and sending nothing for Retry-After + 1 s (or the window + 1 s without one), the next request is not 429',
  instance: 'rate_limit',
  isolation: 'fresh',
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
    ctx.http.note(`silent for ${waitMs} ms (Retry-After ${limited.headers['retry-after'] ?? 'absent'} + 1 s slack)`);
    await sleep(waitMs);
    const [after] = (await burst(ctx, 'recovery', 1, undefined, { key: exhausted.key })).results;
    if (!after) return fail('no request was sent after the wait');
    if (after.ok && after.status !== 429 && after.status < 500) {
      return pass(`after ${(waitMs / 1000).toFixed(1)} s of silence the same key answered ${after.status}`);
    }
    return fail(`after ${(waitMs / 1000).toFixed(1)} s of silence (Retry-After + 1 s) the same key still answered ${describeResult(after)}`);
  },
};
