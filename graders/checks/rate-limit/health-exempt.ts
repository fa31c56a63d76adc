import { fail, pass, type CheckDefinition } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';
import { burst, firstBreakage, is429 } from './burst.ts';

export const healthExempt: CheckDefinition = {
  id: 'rate_limit.health-exempt',
  area: 'rate_limit',
  tier: 'must',
  title: '/health is never limited, and an exhausted client keeps getting clean 429s',
  points: 5,
  standard: 'Assignment contract: "GET /health … is never rate limited"; RFC 6585 §4',
  accepted: 'with both the key-less (per-address) and a keyed budget exhausted, GET /health answers 2xx; further over-budget requests answer 429, never 5xx or a dropped connection',
  instance: 'rate_limit',
  isolation: 'fresh',
  async run(ctx) {
    const { http, params } = ctx;
    const { max } = params.rateLimit;
    const keyed = await burst(ctx, 'health', 3 * max, () => false);
    const keyless = await burst(ctx, 'health', 2 * max + 2, is429, { key: null });
    const broken = firstBreakage([...keyed.results, ...keyless.results]);
    if (broken) return fail(`while exhausting the budget: ${broken}`);
    const lastKeyed = keyed.results.at(-1);
    if (!lastKeyed || !is429(lastKeyed)) return fail(`request ${3 * max} on one key answered ${lastKeyed ? describeResult(lastKeyed) : 'nothing'}, expected 429`);
    for (const headers of [{}, { [params.rateLimit.identityHeader]: keyed.key }]) {
      const health = await http.send({ method: 'GET', path: params.healthPath, headers, note: 'health with the budget exhausted' });
      if (!health.ok || health.status < 200 || health.status >= 300) {
        return fail(`GET ${params.healthPath} answered ${describeResult(health)} once the budget was exhausted`);
      }
    }
    return pass(`${2 * max} over-budget requests all answered 429; ${params.healthPath} stayed 2xx with and without the exhausted key`);
  },
};
