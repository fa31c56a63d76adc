import { pass, type CheckDefinition } from '../../check.ts';
import { burst, firstBreakage, is2xx, is429, sleep } from './burst.ts';

export const algorithm: CheckDefinition = {
  id: 'rate_limit.algorithm',
  area: 'rate_limit',
  tier: 'signal',
  title: 'Algorithm characterisation (information, not scored)',
  points: 0,
  standard: 'Information for the reviewer: fixed window, sliding window or token bucket',
  accepted: 'any algorithm; this check only describes what it saw',
  instance: 'rate_limit',
  isolation: { need: 'process', why: "a limiter that ignores identities (one global bucket) would let another check's traffic decide this verdict, so a fresh key is not enough" },
  expectedMs: ({ rateLimit }) => rateLimit.windowMs + 500,
  notApplicable: ({ rateLimit }) =>
    rateLimit.windowMs + 500 > rateLimit.maxWaitS * 1000 ? `characterising needs a wait of a whole ${rateLimit.windowMs / 1000} s window, longer than rateLimit.maxWaitS (${rateLimit.maxWaitS} s)` : null,
  async run(ctx) {
    const { max, windowMs } = ctx.params.rateLimit;
    const first = await burst(ctx, 'algo', 2 * max + 2, is429);
    const broken = firstBreakage(first.results);
    if (broken) return pass(`not characterised: ${broken}`);
    const started = performance.now();
    await sleep(windowMs / 2);
    const [half] = (await burst(ctx, 'algo', 1, undefined, { identity: first.identity })).results;
    if (half && is2xx(half)) {
      return pass('gradual: a request was served half a window after exhaustion (token bucket or sliding window)');
    }
    await sleep(Math.max(0, windowMs + 500 - (performance.now() - started)));
    const after = await burst(ctx, 'algo', max + 1, is429, { identity: first.identity });
    const allowed = after.results.filter(is2xx).length;
    if (allowed >= max) return pass(`fixed window: the whole budget (${allowed}) came back at once after the window`);
    if (allowed > 0) return pass(`sliding window: ${allowed} of ${max} requests were served one window after exhaustion`);
    return pass('penalty: the key was still limited a full window after exhaustion (limited requests extend the window)');
  },
};
