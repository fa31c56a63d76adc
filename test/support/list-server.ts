import type http from 'node:http';
import { checkParamsSchema, type CheckParams } from '../../core/check-params.ts';
import { PARAMS } from './fake-server.ts';

export type ListStyle = 'cursor' | 'offset' | 'page' | 'link';
/** One classic pagination bug at a time, or none. */
export type ListFlaw = 'none' | 'repeat-last' | 'extra-item' | 'no-limit-check' | 'loose-position' | 'wrong-total' | 'zero-based';
export const LIST_FLAWS: readonly ListFlaw[] = ['none', 'repeat-last', 'extra-item', 'no-limit-check', 'loose-position', 'wrong-total', 'zero-based'];

const MAX_LIMIT = 50;

/**
 * The write side every fake list API shares: POST /items creates an item with the next
 * integer id, DELETE /items/{id} removes one. `write` answers those and says whether it did.
 */
export function itemStore() {
  const items: Array<{ id: number; name: string; created_at: string }> = [];
  let nextId = 1;
  const send = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
    res.writeHead(status, { 'content-type': 'application/json', ...headers });
    res.end(JSON.stringify(body));
  };
  const write = (req: http.IncomingMessage, res: http.ServerResponse, url: URL): boolean => {
    if (req.method === 'POST' && url.pathname === '/items') {
      const item = { id: nextId++, name: 'x', created_at: new Date().toISOString() };
      items.push(item);
      send(res, 201, item);
      return true;
    }
    if (req.method === 'DELETE' && url.pathname.startsWith('/items/')) {
      const at = items.findIndex((item) => String(item.id) === url.pathname.slice('/items/'.length));
      if (at < 0) send(res, 404, { title: 'not found' });
      else {
        items.splice(at, 1);
        res.writeHead(204).end();
      }
      return true;
    }
    return false;
  };
  return { items, send, write };
}

/**
 * An in-memory list API in one of the four pagination styles, ordered by integer id, with
 * one flaw on demand: cursor (`{data, next_cursor}`), offset (bare array), page numbers
 * from 1 (`{page, total, results}`), or Link headers over `{items}`.
 */
export function listServer(style: ListStyle, flaw: ListFlaw = 'none'): http.RequestListener {
  const { items, send, write } = itemStore();
  const bad = (res: http.ServerResponse, what: string) => send(res, 400, { title: `bad ${what}` });
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (write(req, res, url)) return;
    if (req.method !== 'GET' || url.pathname !== '/items') return send(res, 404, { title: 'not found' });
    const rawLimit = url.searchParams.get(style === 'link' ? 'per_page' : 'limit');
    const limit = rawLimit === null ? 20 : Number(rawLimit);
    if (flaw !== 'no-limit-check' && (rawLimit !== null && !/^\d+$/.test(rawLimit) || limit < 1 || limit > MAX_LIMIT)) return bad(res, 'limit');
    const size = flaw === 'extra-item' ? limit + 1 : limit;
    const position = (raw: string | null, fallback: number): number | null => {
      if (raw === null) return fallback;
      if (flaw === 'loose-position') return Number.parseInt(raw, 10) || 0;
      return /^\d+$/.test(raw) ? Number(raw) : null;
    };
    if (style === 'cursor') {
      const raw = url.searchParams.get('cursor');
      const decoded = raw === null ? null : Buffer.from(raw, 'base64url').toString();
      const after = position(decoded, 0);
      if (after === null || (raw !== null && !/^\d+$/.test(decoded ?? '') && flaw !== 'loose-position')) return bad(res, 'cursor');
      let start = items.findIndex((item) => item.id > after);
      if (start < 0) start = items.length;
      if (flaw === 'repeat-last' && after > 0) start = Math.max(0, start - 1);
      const page = items.slice(start, start + size);
      const last = page[page.length - 1];
      const more = start + size < items.length;
      return send(res, 200, { data: page, next_cursor: more && last ? Buffer.from(String(last.id)).toString('base64url') : null });
    }
    if (style === 'offset') {
      const offset = position(url.searchParams.get('offset'), 0);
      if (offset === null) return bad(res, 'offset');
      const start = flaw === 'repeat-last' && offset > 0 ? offset - 1 : offset;
      return send(res, 200, items.slice(start, start + size));
    }
    const first = flaw === 'zero-based' ? 0 : 1;
    const page = position(url.searchParams.get('page'), first);
    if (page === null || page < first) return bad(res, 'page');
    const index = page - first;
    const start = flaw === 'repeat-last' && index > 0 ? index * limit - 1 : index * limit;
    const results = items.slice(start, start + size);
    if (style === 'page') return send(res, 200, { page, limit, total: flaw === 'wrong-total' ? results.length : items.length, results });
    const more = (index + 1) * limit < items.length;
    return send(res, 200, { items: results }, more ? { link: `</items?per_page=${limit}&page=${page + 1}>; rel="next"` } : {});
  };
}

/** The contract each style's server keeps, as an assignment would declare it. */
export function listParams(style: ListStyle): CheckParams {
  return checkParamsSchema.parse({
    ...PARAMS,
    items: { ...PARAMS.items, idFormat: 'integer' },
    pagination: {
      style,
      seedCount: 23,
      maxLimit: MAX_LIMIT,
      order: { by: ['id'] },
      ...(style === 'cursor' ? {} : style === 'offset' ? { itemsField: '.' } : style === 'page' ? { itemsField: 'results', totalField: 'total' } : { itemsField: 'items', limitParam: 'per_page' }),
    },
  });
}
