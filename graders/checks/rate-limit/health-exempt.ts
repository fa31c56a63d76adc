import { fail, pass, type CheckDefinition } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';
import { freshAddressIdentity } from '../../http/identity.ts';
import { asIdentity, burst, firstBreakage, is429 } from './burst.ts';

export const healthExempt: CheckDefinition = {
  id: 'rate_limit.health-exempt',
  area: 'rate_limit',
  tier: 'must',
  title: '/health is never limited, and an exhausted client keeps getting clean 429s',
  points: 5,
  standard: 'Assignment contract: "GET /health … is never rate limited"; RFC 6585 §4',
  accepted: 'with both the key-less (per-address) and a keyed budget exhausted, GET /health answers 2xx; further over-budget requests answer 429, never 5xx or a dropped connection',
  instance: 'rate_limit',
  isolation: { need: 'process', why: "a limiter that ignores identities (one global bucket) would let another check's traffic decide this verdict, so a fresh key is not enough" },
  async run(ctx) {
    const { http, params } = ctx;
    const { max } = params.rateLimit;
    const keyed = await burst(ctx, 'health', 3 * max, () => false);
    const keyless = await burst(ctx, 'health', 2 * max + 2, is429, { identity: freshAddressIdentity() });
    const broken = firstBreakage([...keyed.results, ...keyless.results]);
    if (broken) return fail(`while exhausting the budget: ${broken}`);
    // Some over-budget request must be limited; not necessarily the last, since a window
    // may reset during 3N sequential requests on a busy machine.
    if (!keyed.results.slice(max).some(is429)) {
      const lastKeyed = keyed.results.at(-1);
      return fail(`none of requests ${max + 1}..${3 * max} from ${keyed.identity.label} answered 429 (the last: ${lastKeyed ? describeResult(lastKeyed) : 'nothing'})`);
    }
    for (const client of [keyless.identity, keyed.identity]) {
      const health = await http.send({ method: 'GET', path: params.healthPath, ...asIdentity(client), note: `health from ${client.label}, whose budget is exhausted` });
      if (!health.ok || health.status < 200 || health.status >= 300) {
        return fail(`GET ${params.healthPath} answered ${describeResult(health)} once the budget was exhausted`);
      }
    }
    return pass(`${2 * max} over-budget requests all answered 429; ${params.healthPath} stayed 2xx for both exhausted clients`);
  },
};
