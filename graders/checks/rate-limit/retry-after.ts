import { fail, pass, type CheckDefinition } from '../../check.ts';
import { jsonBodyProblem } from '../../http/json-body.ts';
import { burst, is429 } from './burst.ts';

/** Seconds until retry, or a reason the header is invalid (RFC 9110 §10.2.3). */
export function parseRetryAfter(value: string | undefined, now: number): number | string {
  if (value === undefined) return 'Retry-After is missing';
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed);
  const date = Date.parse(trimmed);
  if (/[a-z]/i.test(trimmed) && !Number.isNaN(date)) return (date - now) / 1000;
  return `Retry-After "${value}" is neither delay-seconds nor an HTTP-date`;
}

export const retryAfter: CheckDefinition = {
  id: 'rate_limit.retry-after',
  area: 'rate_limit',
  tier: 'must',
  title: '429 carries a valid Retry-After and a JSON body',
  points: 5,
  standard: 'RFC 6585 §4 (429 MAY include Retry-After); RFC 9110 §10.2.3; assignment contract requires it',
  accepted: 'Retry-After as delay-seconds or HTTP-date, > 0 and ≤ window + 1 s (+1 s more for an HTTP-date\'s whole-second resolution); Content-Type application/json or application/*+json',
  instance: 'rate_limit',
  isolation: { need: 'process', why: "a limiter that ignores identities (one global bucket) would let another check's traffic decide this verdict, so a fresh key is not enough" },
  async run(ctx) {
    const { max, windowMs } = ctx.params.rateLimit;
    // Up to 2N+2 so an off-by-one limiter still yields a 429 to inspect here.
    const { results } = await burst(ctx, 'retry-after', 2 * max + 2, is429);
    const limited = results.find(is429);
    if (!limited || !limited.ok) {
      return fail(`no 429 within ${results.length} requests on one key (budget ${max}), so there is no Retry-After to check`);
    }
    const dateHeader = limited.headers.date ? Date.parse(limited.headers.date) : Number.NaN;
    const seconds = parseRetryAfter(limited.headers['retry-after'], Number.isNaN(dateHeader) ? Date.now() : dateHeader);
    if (typeof seconds === 'string') return fail(seconds);
    // An HTTP-date has whole-second resolution, as has the Date it is compared with.
    const isDate = /[a-z]/i.test(limited.headers['retry-after'] ?? '');
    const ceiling = Math.ceil(windowMs / 1000) + 1 + (isDate ? 1 : 0);
    if (seconds <= 0) return fail(`Retry-After is ${seconds} s; a client told to retry now would be limited again`);
    if (seconds > ceiling) return fail(`Retry-After is ${seconds} s, longer than the ${windowMs} ms window (+1 s slack)`);
    const problem = jsonBodyProblem(limited);
    if (problem) return fail(`the 429 has Retry-After ${limited.headers['retry-after']} but ${problem}`);
    return pass(`the 429 says Retry-After: ${limited.headers['retry-after']} (window ${windowMs} ms) with a JSON body`);
  },
};
