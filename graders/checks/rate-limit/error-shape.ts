import { fail, pass, type CheckDefinition } from '../../check.ts';
import { freshIdentity } from '../../http/identity.ts';
import { asIdentity, burst, is429 } from './burst.ts';
import { sharesOneShape, topLevelKeys } from '../../http/error-shape.ts';

export const errorShape429: CheckDefinition = {
  id: 'rate_limit.error-shape',
  area: 'rate_limit',
  tier: 'signal',
  title: 'The 429 body has the same shape as the API\'s other errors',
  points: 2,
  standard: 'RFC 9457 §3 (one problem-details format for all errors); consistency for client code',
  accepted: 'the 429 JSON body and a 404 JSON body share their members (one may add extension members)',
  instance: 'rate_limit',
  isolation: { need: 'process', why: "a limiter that ignores identities (one global bucket) would let another check's traffic decide this verdict, so a fresh key is not enough" },
  async run(ctx) {
    const { max } = ctx.params.rateLimit;
    const { results } = await burst(ctx, 'shape', 2 * max + 2, is429);
    const limited = results.find(is429);
    if (!limited?.ok) return fail('no 429 to compare');
    const notFound = await ctx.http.send({
      method: 'GET',
      path: `/no-such-route-${ctx.nonce}`,
      ...asIdentity(freshIdentity(ctx, 'shape-other')),
    });
    if (!notFound.ok || notFound.status !== 404) return fail('no 404 to compare with');
    const a = topLevelKeys(limited);
    const b = topLevelKeys(notFound);
    if (!a || !b) return fail(`the ${!a ? '429' : '404'} body is not a JSON object`);
    if (!sharesOneShape([a, b])) return fail(`429 body has {${a.join(', ')}} but a 404 has {${b.join(', ')}}`);
    return pass(`429 and 404 bodies share the shape {${a.join(', ')}}`);
  },
};
