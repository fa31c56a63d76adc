import { fail, pass, type CheckDefinition } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';
import { freshAddressIdentity } from '../../http/identity.ts';
import { burst, firstBreakage, is429 } from './burst.ts';

const spoofed = (i: number): Record<string, string> => {
  const ip = `203.0.113.${i % 250}`;
  return { 'x-forwarded-for': ip, forwarded: `for=${ip}`, 'x-real-ip': ip };
};

export const spoofing: CheckDefinition = {
  id: 'rate_limit.spoofing',
  area: 'rate_limit',
  tier: 'signal',
  title: 'Rotating X-Forwarded-For / Forwarded / X-Real-IP does not reset the per-client budget',
  points: 5,
  standard: 'RFC 7239 §8.1 (Forwarded is client-supplied unless set by a trusted proxy); OWASP API4:2023',
  accepted: 'key-less requests from one source address with a different forwarding address each time: request N+1 answers 429',
  instance: 'rate_limit',
  isolation: { need: 'process', why: "a limiter that ignores identities (one global bucket) would let another check's traffic decide this verdict, so a fresh key is not enough" },
  notApplicable: ({ rateLimit }) =>
    rateLimit.trustProxy
      ? 'the assignment trusts a proxy (rateLimit.trustProxy), so X-Forwarded-For may name the client'
      : rateLimit.identity === 'header'
        ? `budgets belong to ${rateLimit.identityHeader} values, not addresses (rateLimit.identity: header)`
        : null,
  async run(ctx) {
    const { max } = ctx.params.rateLimit;
    const { results } = await burst(ctx, 'spoof', max + 1, () => false, { identity: freshAddressIdentity(), headers: spoofed });
    const broken = firstBreakage(results);
    if (broken) return fail(broken);
    const last = results[max];
    if (last && is429(last)) return pass(`the budget held: request ${max + 1} answered 429 despite a new forwarding address on every request`);
    return fail(`request ${max + 1} without a key answered ${last ? describeResult(last) : 'nothing'} because each request claimed a new X-Forwarded-For/Forwarded/X-Real-IP; any client can reset its own budget`);
  },
};
