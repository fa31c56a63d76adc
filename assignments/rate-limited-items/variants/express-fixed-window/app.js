// Variant: Express 5 with a fixed-window limiter and X-RateLimit-* headers.
import express from 'express';
import { randomUUID } from 'node:crypto';

const PORT = Number(process.env.PORT ?? 3000);
const MAX = Number(process.env.RATE_LIMIT_MAX ?? 100);
const WINDOW = Number(process.env.RATE_LIMIT_WINDOW_MS ?? 60000);

const app = express();
app.disable('x-powered-by');
app.set('trust proxy', false);

const fail = (res, status, code, message, extra = {}) => res.status(status).json({ error: { code, message, ...extra } });

app.get('/health', (_req, res) => res.json({ ok: true }));

const buckets = new Map();
app.use((req, res, next) => {
  const key = req.get('x-api-key') ? `k:${req.get('x-api-key')}` : `ip:${req.socket.remoteAddress}`;
  const now = Date.now();
  const windowStart = now - (now % WINDOW);
  let bucket = buckets.get(key);
  if (!bucket || bucket.windowStart !== windowStart) {
    bucket = { windowStart, used: 0 };
    buckets.set(key, bucket);
  }
  bucket.used += 1;
  const resetSeconds = Math.max(1, Math.ceil((windowStart + WINDOW - now) / 1000));
  res.set('X-RateLimit-Limit', String(MAX));
  res.set('X-RateLimit-Remaining', String(Math.max(0, MAX - bucket.used)));
  res.set('X-RateLimit-Reset', String(Math.ceil((windowStart + WINDOW) / 1000)));
  if (bucket.used > MAX) {
    res.set('Retry-After', String(resetSeconds));
    return fail(res, 429, 'rate_limited', 'too many requests');
  }
  next();
});

const items = [];
const byId = new Map();
const cmp = (a, b) => (a.created_at < b.created_at ? -1 : a.created_at > b.created_at ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
const encode = (item) => Buffer.from(`${item.created_at}|${item.id}`).toString('base64url');
function decode(cursor) {
  const text = Buffer.from(cursor, 'base64url').toString('utf8');
  const [created_at, id, extra] = text.split('|');
  if (extra !== undefined || !id || Number.isNaN(Date.parse(created_at)) || !/^[\w-]{36}$/.test(id)) return null;
  return { created_at, id };
}

app.get('/items', (req, res) => {
  const raw = req.query.limit;
  let limit = 20;
  if (raw !== undefined) {
    if (typeof raw !== 'string' || !/^\d+$/.test(raw) || Number(raw) < 1 || Number(raw) > 100) {
      return fail(res, 400, 'invalid_limit', 'limit must be an integer between 1 and 100');
    }
    limit = Number(raw);
  }
  let start = 0;
  if (req.query.cursor !== undefined) {
    const after = typeof req.query.cursor === 'string' ? decode(req.query.cursor) : null;
    if (!after) return fail(res, 400, 'invalid_cursor', 'cursor is invalid');
    start = items.findIndex((item) => cmp(item, after) > 0);
    if (start === -1) start = items.length;
  }
  const data = items.slice(start, start + limit);
  const more = start + limit < items.length;
  res.json({ data, next_cursor: more ? encode(data[data.length - 1]) : null });
});

app.post('/items', express.json({ limit: '1mb', strict: false, type: () => true }));
app.post('/items', (req, res) => {
  if (!req.is('application/json')) return fail(res, 415, 'unsupported_media_type', 'use application/json');
  const body = req.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return fail(res, 400, 'invalid_body', 'body must be an object');
  const fields = [];
  if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 200) fields.push('name');
  if (!Number.isSafeInteger(body.price_cents) || body.price_cents < 0) fields.push('price_cents');
  if (fields.length) return fail(res, 400, 'validation_failed', `invalid: ${fields.join(', ')}`, { fields });
  const item = { id: randomUUID(), name: body.name, price_cents: body.price_cents, created_at: new Date().toISOString() };
  const at = items.findIndex((other) => cmp(other, item) > 0);
  items.splice(at === -1 ? items.length : at, 0, item);
  byId.set(item.id, item);
  res.status(201).json(item);
});

app.get('/items/:id', (req, res) => {
  const item = byId.get(req.params.id);
  return item ? res.json(item) : fail(res, 404, 'not_found', 'no such item');
});

app.delete('/items/:id', (req, res) => {
  const item = byId.get(req.params.id);
  if (!item) return fail(res, 404, 'not_found', 'no such item');
  byId.delete(item.id);
  items.splice(items.indexOf(item), 1);
  res.status(204).end();
});

app.use((_req, res) => fail(res, 404, 'not_found', 'no such route'));

// Express passes body-parser and URL errors here; their status says what went wrong.
app.use((err, _req, res, _next) => {
  const status = Number.isInteger(err.status) && err.status >= 400 && err.status < 500 ? err.status : 500;
  if (status === 500) console.error(err);
  const code = status === 413 ? 'too_large' : status === 400 ? 'bad_request' : 'error';
  fail(res, status, code, status === 500 ? 'internal error' : err.type === 'entity.parse.failed' ? 'malformed JSON' : 'bad request');
});

app.listen(PORT, '0.0.0.0', () => console.log(`express variant on ${PORT}`));
