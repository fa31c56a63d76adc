import { fail, pass, type CheckDefinition } from '../../check.ts';
import { burst, firstBreakage, is429 } from './burst.ts';

export const isolation: CheckDefinition = {
  id: 'rate_limit.isolation',
  area: 'rate_limit',
  tier: 'must',
  title: 'Exhausting one API key leaves another key\'s budget untouched',
  points: 10,
  standard: 'Assignment contract: "each distinct X-API-Key value has its own budget"',
  accepted: 'after key A answers 429, key B\'s first ⌈N/2⌉ requests are not 429',
  instance: 'rate_limit',
  isolation: 'fresh',
  async run(ctx) {
    const { max } = ctx.params.rateLimit;
    const a = await burst(ctx, 'isolation-a', 2 * max + 2, is429);
    const brokenA = firstBreakage(a.results);
    if (brokenA) return fail(`key A: ${brokenA}`);
    if (!a.results.some(is429)) return fail(`key A never answered 429 within ${a.results.length} requests`);
    // Half the budget: enough to show B has its own, without re-testing the boundary.
    const wanted = Math.ceil(max / 2);
    const b = await burst(ctx, 'isolation-b', wanted, is429);
    const brokenB = firstBreakage(b.results);
    if (brokenB) return fail(`key B: ${brokenB}`);
    const limitedAt = b.results.findIndex(is429);
    if (limitedAt >= 0) {
      return fail(`key B was limited at its request ${limitedAt + 1} right after key A was exhausted: the budget is shared, not per key`);
    }
    return pass(`key A was limited after ${a.results.length - 1} requests; key B then got ${wanted} requests of its own`);
  },
};
