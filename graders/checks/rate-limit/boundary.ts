import { fail, pass, type CheckContext, type CheckDefinition, type CheckOutcome } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';
import { burst, is429 } from './burst.ts';

export const boundary: CheckDefinition = {
  id: 'rate_limit.boundary',
  area: 'rate_limit',
  tier: 'must',
  title: 'Exactly N requests pass per window; request N+1 is 429',
  points: 10,
  standard: 'RFC 6585 §4 (429 Too Many Requests); assignment contract: RATE_LIMIT_MAX per RATE_LIMIT_WINDOW_MS per key',
  accepted: 'requests 1..N on a fresh key answer anything but 429 or 5xx; request N+1 answers 429',
  instance: 'rate_limit',
  isolation: { need: 'process', why: "a limiter that ignores identities (one global bucket) would let another check's traffic decide this verdict, so a fresh key is not enough" },
  async run(ctx) {
    const first = await attempt(ctx);
    if (first.status === 'pass' || !first.windowMayHaveRolled) return first;
    // A window boundary (or a refill) fell inside the burst: one retry on a fresh key.
    ctx.http.note('the burst was slow enough for a window boundary or refill to fall inside it; retrying once on a fresh key');
    return attempt(ctx);
  },
};

async function attempt(ctx: CheckContext): Promise<CheckOutcome & { windowMayHaveRolled: boolean }> {
  const { max, windowMs } = ctx.params.rateLimit;
  const { results, elapsedMs } = await burst(ctx, 'boundary', max + 1);
  const verdict = (outcome: CheckOutcome, windowMayHaveRolled = false) => ({ ...outcome, windowMayHaveRolled });
  for (const [index, result] of results.entries()) {
    const n = index + 1;
    if (!result.ok) return verdict(fail(`request ${n} of ${max + 1} failed: ${result.error}`));
    if (result.status >= 500) return verdict(fail(`request ${n} of ${max + 1} answered ${result.status}`));
    if (n <= max && result.status === 429) {
      return verdict(fail(`request ${n} was rejected with 429, but the budget is ${max} per window (off by ${max - n + 1})`));
    }
  }
  const last = results[max];
  if (last && is429(last)) return verdict(pass(`requests 1..${max} passed and request ${max + 1} answered 429`));
  // Time for one request's worth of budget to come back under any algorithm.
  const rolled = elapsedMs > windowMs / max - 50;
  return verdict(
    fail(`request ${max + 1} answered ${last ? describeResult(last) : 'nothing'}; budget is ${max} per ${windowMs} ms, so it should be 429`),
    rolled,
  );
}
