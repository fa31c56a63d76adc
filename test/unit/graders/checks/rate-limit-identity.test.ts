import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkParamsSchema } from '../../../../core/check-params.ts';
import { boundary } from '../../../../graders/checks/rate-limit/boundary.ts';
import { isolation } from '../../../../graders/checks/rate-limit/isolation.ts';
import { recovery } from '../../../../graders/checks/rate-limit/recovery.ts';
import { spoofing } from '../../../../graders/checks/rate-limit/spoofing.ts';
import { spreadForFixedBudget } from '../../../../graders/http/identity.ts';
import { context, PARAMS, withServer } from '../../../support/fake-server.ts';

type KeyBy = 'address' | 'address-and-port' | 'forwarded-for' | 'key-only-address';

/** A per-client limiter (fixed window) keyed as a candidate might key it, right or wrong. */
function limited(keyBy: KeyBy, max: number, windowMs: number): http.RequestListener {
  const windows = new Map<string, { start: number; count: number }>();
  return (req, res) => {
    const address = (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '');
    const key =
      keyBy === 'address-and-port'
        ? `${address}:${req.socket.remotePort}`
        : keyBy === 'forwarded-for'
          ? String(req.headers['x-forwarded-for'] ?? address).split(',')[0]!.trim()
          : address;
    const now = Date.now();
    const current = windows.get(key);
    const window = current && now - current.start < windowMs ? current : { start: now, count: 0 };
    windows.set(key, window);
    window.count += 1;
    const resetS = Math.max(1, Math.ceil((window.start + windowMs - now) / 1000));
    if (window.count > max) {
      res.writeHead(429, { 'content-type': 'application/problem+json', 'retry-after': String(resetS), 'ratelimit-reset': String(resetS) });
      res.end(JSON.stringify({ title: 'Too Many Requests', status: 429 }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end('[]');
  };
}

const perIp = (fixed = false, windowMs = 3000) =>
  checkParamsSchema.parse({ ...PARAMS, rateLimit: { ...PARAMS.rateLimit, identity: 'ip', max: 5, windowMs, fixed } });

describe('per-IP rate limiting from distinct loopback addresses', () => {
  it('a limiter keyed by the socket address passes boundary, isolation and spoofing', async () => {
    for (const check of [boundary, isolation, spoofing]) {
      await withServer(limited('address', 5, 3000), async (base) => {
        expect(await check.run(context(base, perIp()))).toMatchObject({ status: 'pass' });
      });
    }
  });

  it('a limiter keyed by address and port (a fresh budget per connection) fails boundary', async () => {
    await withServer(limited('address-and-port', 5, 3000), async (base) => {
      expect(await boundary.run(context(base, perIp()))).toMatchObject({ status: 'fail', message: expect.stringMatching(/request 6 answered HTTP 200; budget is 5 per 3000 ms/) });
    });
  });

  it('a limiter keyed by X-Forwarded-For fails spoofing', async () => {
    await withServer(limited('forwarded-for', 5, 3000), async (base) => {
      expect(await spoofing.run(context(base, perIp()))).toMatchObject({ status: 'fail', message: expect.stringMatching(/X-Forwarded-For/) });
    });
  });

  it('a fixed window longer than the wait bound is judged by its advertised reset, marked as not waited out', async () => {
    await withServer(limited('address', 5, 60_000), async (base) => {
      const ctx = context(base, perIp(true, 60_000));
      const outcome = await recovery.run(ctx);
      expect(outcome).toMatchObject({ status: 'pass', message: expect.stringMatching(/^not waited out \(the window is 60 s\)/) });
      expect(ctx.http.evidence.some((entry) => entry.note?.startsWith('not waited out'))).toBe(true);
    });
  });

  it('under a fixed budget, a relaxed check spreads its requests over fresh clients', () => {
    const spread = spreadForFixedBudget(perIp(true, 60_000), 'relaxed', 'n');
    expect(spread?.every).toBe(4);
    const a = spread?.next();
    const b = spread?.next();
    expect(a?.localAddress).toMatch(/^127\.\d+\.\d+\.\d+$/);
    expect(a?.localAddress).not.toBe(b?.localAddress);
    expect(spreadForFixedBudget(perIp(true, 60_000), 'rate_limit', 'n')).toBeNull();
    expect(spreadForFixedBudget(perIp(false), 'relaxed', 'n')).toBeNull();
  });
});
