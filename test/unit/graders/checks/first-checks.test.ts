import type http from 'node:http';
import { describe, expect, it } from 'vitest';
import { malformedJson400 } from '../../../../graders/checks/error-handling/malformed-json-400.ts';
import { unknownRoute404 } from '../../../../graders/checks/error-handling/unknown-route-404.ts';
import { fullWalk } from '../../../../graders/checks/pagination/full-walk.ts';
import { boundary } from '../../../../graders/checks/rate-limit/boundary.ts';
import { parseRetryAfter, retryAfter } from '../../../../graders/checks/rate-limit/retry-after.ts';
import { context, json, withServer } from '../../../support/fake-server.ts';

/** A per-key fixed-window limiter whose budget and 429 can be made wrong on purpose. */
function limiter(options: { allow: number; retryAfter?: string | null; body?: 'json' | 'html' }): http.RequestListener {
  const counts = new Map<string, number>();
  return (req, res) => {
    const key = String(req.headers['x-api-key'] ?? req.socket.remoteAddress);
    const count = (counts.get(key) ?? 0) + 1;
    counts.set(key, count);
    if (count <= options.allow) return json(res, 200, { data: [], next_cursor: null });
    const headers: Record<string, string> = {};
    if (options.retryAfter !== null) headers['retry-after'] = options.retryAfter ?? '3';
    if (options.body === 'html') {
      res.writeHead(429, { 'content-type': 'text/html', ...headers });
      return res.end('<h1>Too Many Requests</h1>');
    }
    return json(res, 429, { error: 'slow down' }, headers);
  };
}

describe('rate_limit.boundary', () => {
  it('passes exactly N then 429', async () => {
    await withServer(limiter({ allow: 5 }), async (base) => {
      expect(await boundary.run(context(base))).toMatchObject({ status: 'pass' });
    });
  });

  it('fails N+1 allowed, naming the request and the budget', async () => {
    await withServer(limiter({ allow: 6 }), async (base) => {
      const outcome = await boundary.run(context(base));
      expect(outcome.status).toBe('fail');
      expect(outcome.message).toMatch(/request 6 answered HTTP 200; budget is 5/);
    });
  });

  it('fails N-1 allowed as an off-by-one', async () => {
    await withServer(limiter({ allow: 4 }), async (base) => {
      const outcome = await boundary.run(context(base));
      expect(outcome.message).toMatch(/request 5 was rejected with 429, but the budget is 5/);
    });
  });
});

describe('rate_limit.retry-after', () => {
  it('accepts delay-seconds and an HTTP-date within the window', async () => {
    await withServer(limiter({ allow: 5, retryAfter: '2' }), async (base) => {
      expect((await retryAfter.run(context(base))).status).toBe('pass');
    });
    expect(parseRetryAfter(new Date(Date.now() + 2_000).toUTCString(), Date.now())).toBeGreaterThan(0);
  });

  it('still finds the 429 of an off-by-one limiter (that flaw belongs to the boundary check)', async () => {
    await withServer(limiter({ allow: 6, retryAfter: '3' }), async (base) => {
      expect((await retryAfter.run(context(base))).status).toBe('pass');
    });
  });

  it.each([
    [{ retryAfter: null }, /Retry-After is missing/],
    [{ retryAfter: '0' }, /Retry-After is 0 s/],
    [{ retryAfter: '3600' }, /longer than the 3000 ms window/],
    [{ retryAfter: 'soon' }, /neither delay-seconds nor an HTTP-date/],
    [{ body: 'html' as const }, /not a JSON media type/],
  ])('fails %o', async (flaw, message) => {
    await withServer(limiter({ allow: 5, ...flaw }), async (base) => {
      const outcome = await retryAfter.run(context(base));
      expect(outcome.status).toBe('fail');
      expect(outcome.message).toMatch(message);
    });
  });
});

/** A list endpoint over created items; `flaw` plants a classic pagination bug. */
function itemsServer(flaw: 'none' | 'skip-one' | 'loop' | 'reversed-ties'): http.RequestListener {
  const items: Array<{ id: string; created_at: string }> = [];
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method === 'POST') {
      const item = { id: `id-${String(items.length).padStart(4, '0')}`, created_at: new Date(1_700_000_000_000 + Math.floor(items.length / 4)).toISOString() };
      items.push(item);
      req.resume();
      return json(res, 201, item);
    }
    const limit = Number(url.searchParams.get('limit') ?? 20);
    const offset = Number(url.searchParams.get('cursor') ?? 0);
    const ordered = flaw === 'reversed-ties' ? [...items].sort((a, b) => a.created_at.localeCompare(b.created_at) || b.id.localeCompare(a.id)) : items;
    const page = ordered.slice(offset, offset + limit);
    let next: number | null = offset + limit < items.length ? offset + limit : null;
    if (next !== null && flaw === 'skip-one') next += 1;
    if (next !== null && flaw === 'loop') next = limit;
    return json(res, 200, { data: page, next_cursor: next === null ? null : String(next) });
  };
}

describe('pagination.full-walk', () => {
  it('passes a walk that returns each item once', async () => {
    await withServer(itemsServer('none'), async (base) => {
      expect(await fullWalk.run(context(base))).toMatchObject({ status: 'pass', message: expect.stringMatching(/23 items over 3 pages of 10 \(cursor pagination\), each once, in \(created_at, id\) ascending order/) });
    });
  });

  it('fails when a page boundary skips an item', async () => {
    await withServer(itemsServer('skip-one'), async (base) => {
      expect((await fullWalk.run(context(base))).message).toMatch(/created items never appeared/);
    });
  });

  it('fails items out of (created_at, id) order, naming the pair', async () => {
    await withServer(itemsServer('reversed-ties'), async (base) => {
      expect((await fullWalk.run(context(base))).message).toMatch(/out of order: item id-0002 .* comes after item id-0003 .*\(created_at, id\) ascending/);
    });
  });

  it('fails a cursor that loops instead of hanging', async () => {
    await withServer(itemsServer('loop'), async (base) => {
      expect((await fullWalk.run(context(base))).message).toMatch(/pointed back to an earlier page .* loop forever/);
    });
  });
});

describe('error handling', () => {
  it('an HTML 404 fails on its media type', async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(404, { 'content-type': 'text/html' });
        res.end('<pre>Cannot GET</pre>');
      },
      async (base) => {
        expect((await unknownRoute404.run(context(base))).message).toMatch(/"text\/html", not a JSON media type/);
      },
    );
  });

  it('problem+json 404 passes', async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(404, { 'content-type': 'application/problem+json' });
        res.end('{"title":"Not Found","status":404}');
      },
      async (base) => {
        expect((await unknownRoute404.run(context(base))).status).toBe('pass');
      },
    );
  });

  it('malformed JSON answered 500 fails, 400 with JSON passes', async () => {
    await withServer(
      (_req, res) => json(res, 500, { error: 'SyntaxError' }),
      async (base) => {
        expect((await malformedJson400.run(context(base))).message).toMatch(/answered HTTP 500, expected 400/);
      },
    );
    await withServer(
      (_req, res) => json(res, 400, { error: 'bad json' }),
      async (base) => {
        expect((await malformedJson400.run(context(base))).status).toBe('pass');
      },
    );
  });
});
