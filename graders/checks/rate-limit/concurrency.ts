import { fail, pass, type CheckDefinition } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';
import { freshIdentity } from '../../http/identity.ts';
import { asIdentity, is2xx, is429 } from './burst.ts';

export const concurrency: CheckDefinition = {
  id: 'rate_limit.concurrency',
  area: 'rate_limit',
  tier: 'must',
  title: 'Concurrent requests from one client cannot exceed the budget',
  points: 10,
  standard: 'Assignment contract (budget per key per window); the classic read-then-write race',
  accepted: 'of 3N requests sent at once by one fresh client, each on its own connection, at most N succeed; the rest are 429; none is 5xx or dropped',
  instance: 'rate_limit',
  isolation: 'fresh',
  async run(ctx) {
    const { http, params } = ctx;
    const { max } = params.rateLimit;
    const client = freshIdentity(ctx, 'concurrency');
    const total = 3 * max;
    const results = await Promise.all(
      Array.from({ length: total }, (_, i) =>
        http.send({
          method: 'GET',
          path: params.rateLimit.probePath,
          ...asIdentity(client),
          note: `concurrent request ${i + 1} of ${total} from ${client.label}`,
        }),
      ),
    );
    const succeeded = results.filter(is2xx).length;
    const limited = results.filter(is429).length;
    const other = results.filter((result) => !is2xx(result) && !is429(result));
    if (other.length > 0) {
      return fail(`${other.length} of ${total} concurrent requests were neither 2xx nor 429 (e.g. ${describeResult(other[0]!)})`);
    }
    if (succeeded > max) {
      return fail(`Concurrency: ${succeeded} of ${total} concurrent requests succeeded; budget is ${max}`);
    }
    return pass(`${succeeded} of ${total} concurrent requests succeeded and ${limited} were limited (budget ${max})`);
  },
};
