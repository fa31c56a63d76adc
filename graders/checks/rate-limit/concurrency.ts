import { fail, pass, type CheckContext, type CheckDefinition, type CheckOutcome } from '../../check.ts';
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
  accepted: 'of 3N requests sent at once by one fresh client, each on its own connection, at most N succeed; the rest are 429; none is 5xx or dropped (one retry from a fresh client when at most 2N succeed, as a window reset inside the burst would allow)',
  instance: 'rate_limit',
  isolation: { need: 'process', why: "a limiter that ignores identities (one global bucket) would let another check's traffic decide this verdict, so a fresh key is not enough" },
  async run(ctx) {
    const first = await attempt(ctx);
    if (first.status === 'pass' || !first.windowMayHaveRolled) return first;
    // A fixed window that resets on the clock can fall inside even a short burst and hand
    // out a second budget; a read-then-write race overspends the same way every time.
    ctx.http.note('more than N but at most 2N succeeded, as when a window resets inside the burst; retrying once from a fresh client');
    return attempt(ctx);
  },
};

async function attempt(ctx: CheckContext): Promise<CheckOutcome & { windowMayHaveRolled: boolean }> {
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
    return { ...fail(`${other.length} of ${total} concurrent requests were neither 2xx nor 429 (e.g. ${describeResult(other[0]!)})`), windowMayHaveRolled: false };
  }
  if (succeeded > max) {
    return { ...fail(`Concurrency: ${succeeded} of ${total} concurrent requests succeeded; budget is ${max}`), windowMayHaveRolled: succeeded <= 2 * max };
  }
  return { ...pass(`${succeeded} of ${total} concurrent requests succeeded and ${limited} were limited (budget ${max})`), windowMayHaveRolled: false };
}
