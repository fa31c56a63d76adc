import { fail, pass, type CheckContext, type CheckDefinition, type CheckOutcome } from '../../check.ts';
import { freshAddressIdentity, freshIdentity, type Identity } from '../../http/identity.ts';
import { burst, firstBreakage, is429 } from './burst.ts';

/** Exhausts client A, then asks whether client B still has a budget of its own. */
async function separate(ctx: CheckContext, a: Identity, b: Identity, what: string): Promise<CheckOutcome> {
  const { max } = ctx.params.rateLimit;
  const first = await burst(ctx, 'isolation-a', 2 * max + 2, is429, { identity: a });
  const brokenA = firstBreakage(first.results);
  if (brokenA) return fail(`${a.label}: ${brokenA}`);
  if (!first.results.some(is429)) return fail(`${a.label} never answered 429 within ${first.results.length} requests`);
  // Half the budget: enough to show B has its own, without re-testing the boundary.
  const wanted = Math.ceil(max / 2);
  const second = await burst(ctx, 'isolation-b', wanted, is429, { identity: b });
  const brokenB = firstBreakage(second.results);
  if (brokenB) return fail(`${b.label}: ${brokenB}`);
  const limitedAt = second.results.findIndex(is429);
  if (limitedAt >= 0) {
    return fail(`${b.label} was limited at its request ${limitedAt + 1} right after ${a.label} was exhausted: the budget is shared, not per ${what}`);
  }
  return pass(`${a.label} was limited after ${first.results.length - 1} requests; ${b.label} then got ${wanted} requests of its own`);
}

export const isolation: CheckDefinition = {
  id: 'rate_limit.isolation',
  area: 'rate_limit',
  tier: 'must',
  title: 'Exhausting one client leaves another client\'s budget untouched',
  points: 10,
  standard: 'Assignment contract: each client (identity header value, or client IP, as declared) has its own budget',
  accepted:
    'after client A answers 429, client B\'s first ⌈N/2⌉ requests are not 429. Per header: two keys from one address; per IP: two source addresses; header-or-ip: both of those',
  instance: 'rate_limit',
  isolation: { need: 'process', why: "a limiter that ignores identities (one global bucket) would let another check's traffic decide this verdict, so a fresh key is not enough" },
  async run(ctx) {
    const { identity, identityHeader } = ctx.params.rateLimit;
    if (identity === 'ip') return separate(ctx, freshAddressIdentity(), freshAddressIdentity(), 'client IP');
    const byKey = await separate(ctx, freshIdentity(ctx, 'a'), freshIdentity(ctx, 'b'), `${identityHeader} value`);
    if (identity === 'header' || byKey.status !== 'pass') return byKey;
    const byAddress = await separate(ctx, freshAddressIdentity(), freshAddressIdentity(), 'client IP for requests without a key');
    if (byAddress.status !== 'pass') return byAddress;
    return pass(`${byKey.message}; ${byAddress.message}`);
  },
};
