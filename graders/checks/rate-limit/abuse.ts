import autocannon from 'autocannon';
import { fail, pass, type CheckDefinition } from '../../check.ts';
import { freshIdentity } from '../../http/identity.ts';

export const abuse: CheckDefinition = {
  id: 'rate_limit.abuse',
  area: 'rate_limit',
  tier: 'must',
  title: 'Under a flood on one key, 2xx never exceed the budget and the rest are 429',
  points: 10,
  standard: 'Assignment contract (budget per key per window) under concurrency; RFC 6585 §4',
  accepted: '20 connections on one key for 1.5 windows: 2xx ≤ budget × (windows touched + 1); every other answer 429; no errors or timeouts',
  instance: 'rate_limit',
  isolation: { need: 'process', why: "a limiter that ignores identities (one global bucket) would let another check's traffic decide this verdict, so a fresh key is not enough" },
  expectedMs: ({ rateLimit }) => Math.max(2000, Math.min(1.5 * rateLimit.windowMs, rateLimit.maxWaitS * 1000)),
  async run(ctx) {
    const { max, windowMs, identity, probePath, maxWaitS } = ctx.params.rateLimit;
    // autocannon cannot choose its source address: per IP, the flood comes from the
    // default one, which no other request of this fresh instance uses.
    const client = identity === 'ip' ? { label: 'client 127.0.0.1', headers: {} } : freshIdentity(ctx, 'abuse');
    const durationS = Math.max(2, Math.min((1.5 * windowMs) / 1000, maxWaitS));
    const statuses: Record<string, number> = {};
    const started = performance.now();
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        { url: `${ctx.http.baseUrl}${probePath}`, connections: 20, duration: durationS, timeout: 5, headers: client.headers },
        (error, finished) => (error ? reject(error) : resolve(finished)),
      );
      instance.on('response', (_client, statusCode) => {
        const bucket = statusCode >= 200 && statusCode < 300 ? '2xx' : String(statusCode);
        statuses[bucket] = (statuses[bucket] ?? 0) + 1;
      });
    });
    const elapsedMs = performance.now() - started;
    const ok = statuses['2xx'] ?? 0;
    const windows = Math.ceil(elapsedMs / windowMs) + 1;
    const allowed = max * windows;
    const others = Object.entries(statuses).filter(([status]) => status !== '2xx' && status !== '429');
    const summary = `${result.requests.total} requests in ${(elapsedMs / 1000).toFixed(1)} s: ${ok} 2xx, ${statuses['429'] ?? 0} 429${others.map(([status, count]) => `, ${count} ${status}`).join('')}, ${result.errors} errors, ${result.timeouts} timeouts`;
    ctx.http.note(summary);
    if (ok > allowed) return fail(`${ok} requests succeeded for ${client.label} in ${(elapsedMs / 1000).toFixed(1)} s; at most ${allowed} (${max} × ${windows} windows) should — ${summary}`);
    if (others.length > 0 || result.errors > 0 || result.timeouts > 0) return fail(`under a flood the server answered something other than 2xx/429 — ${summary}`);
    return pass(summary);
  },
};
