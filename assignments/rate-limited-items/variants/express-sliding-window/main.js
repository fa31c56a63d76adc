// Variant: Express 5, sliding-window counter (previous window weighted by overlap).
import express from 'express';
import { randomUUID } from 'node:crypto';

const PORT = Number(process.env.PORT ?? 3000);
const LIMIT = Number(process.env.RATE_LIMIT_MAX ?? 100);
const WINDOW = Number(process.env.RATE_LIMIT_WINDOW_MS ?? 60000);

const problem = (res, status, title, detail, extra = {}) =>
  res.status(status).type('application/problem+json').send(JSON.stringify({ type: 'about:blank', title, status, detail, ...extra }));

const counters = new Map();
function estimate(counter, at) {
  const index = Math.floor(at / WINDOW);
  const current = counter.index === index ? counter.current : counter.index === index - 1 ? 0 : 0;
  const previous = counter.index === index ? counter.previous : counter.index === index - 1 ? counter.current : 0;
  return { index, current, previous, value: previous * (1 - (at % WINDOW) / WINDOW) + current };
}
function secondsUntilAllowed(counter, now) {
  for (let t = 100; t <= 2 * WINDOW; t += 100) if (estimate(counter, now + t).value < LIMIT) return Math.ceil(t / 1000);
  return Math.ceil((2 * WINDOW) / 1000);
}

const app = express();
app.disable('x-powered-by');
app.get('/health', (_req, res) => res.json({ status: 'ok' }));
app.use((req, res, next) => {
  const id = req.get('x-api-key') ? `key:${req.get('x-api-key')}` : `ip:${req.socket.remoteAddress}`;
  const now = Date.now();
  const counter = counters.get(id) ?? { index: Math.floor(now / WINDOW), current: 0, previous: 0 };
  const state = estimate(counter, now);
  Object.assign(counter, { index: state.index, current: state.current, previous: state.previous });
  counters.set(id, counter);
  res.set('RateLimit-Policy', `"sliding";q=${LIMIT};w=${Math.ceil(WINDOW / 1000)}`);
  if (state.value >= LIMIT) {
    const wait = secondsUntilAllowed(counter, now);
    res.set('RateLimit', `"sliding";r=0;t=${wait}`).set('Retry-After', String(wait));
    return problem(res, 429, 'Too Many Requests', `limit of ${LIMIT} per ${WINDOW} ms reached`);
  }
  counter.current += 1;
  const remaining = Math.max(0, Math.floor(LIMIT - estimate(counter, now).value));
  res.set('RateLimit', `"sliding";r=${remaining};t=${Math.ceil((WINDOW - (now % WINDOW)) / 1000)}`);
  next();
});

const items = [];
const keyOf = (item) => `${item.created_at}\u0000${item.id}`;
const encode = (item) => Buffer.from(JSON.stringify([item.created_at, item.id])).toString('base64url');
function decode(raw) {
  try {
    const [created_at, id] = JSON.parse(Buffer.from(raw, 'base64url').toString());
    if (typeof created_at === 'string' && typeof id === 'string') return `${created_at}\u0000${id}`;
  } catch {}
  return null;
}

app
  .route('/items')
  .get((req, res) => {
    const raw = req.query.limit;
    if (raw !== undefined && !(typeof raw === 'string' && /^\d+$/.test(raw) && +raw >= 1 && +raw <= 100)) {
      return problem(res, 400, 'Bad Request', 'limit must be an integer from 1 to 100', { errors: [{ field: 'limit' }] });
    }
    const limit = raw === undefined ? 20 : Number(raw);
    let after = '';
    if (req.query.cursor !== undefined) {
      after = typeof req.query.cursor === 'string' ? decode(req.query.cursor) : null;
      if (after === null) return problem(res, 400, 'Bad Request', 'invalid cursor', { errors: [{ field: 'cursor' }] });
    }
    const rest = items.filter((item) => keyOf(item) > after);
    const data = rest.slice(0, limit);
    res.json({ data, next_cursor: rest.length > limit ? encode(data[data.length - 1]) : null });
  })
  .post(express.json({ limit: '1mb', strict: false, type: () => true }), (req, res) => {
    if (!req.is('application/json')) return problem(res, 415, 'Unsupported Media Type', 'send application/json');
    const body = req.body;
    if (body === null || typeof body !== 'object' || Array.isArray(body)) return problem(res, 400, 'Bad Request', 'expected a JSON object', { errors: [] });
    const errors = [];
    if (typeof body.name !== 'string' || !body.name.length || body.name.length > 200) errors.push({ field: 'name', message: '1 to 200 characters' });
    if (!Number.isSafeInteger(body.price_cents) || body.price_cents < 0) errors.push({ field: 'price_cents', message: 'integer >= 0' });
    if (errors.length) return problem(res, 400, 'Bad Request', `invalid fields: ${errors.map((e) => e.field).join(', ')}`, { errors });
    const item = { id: randomUUID(), name: body.name, price_cents: body.price_cents, created_at: new Date().toISOString() };
    items.push(item);
    items.sort((a, b) => (keyOf(a) < keyOf(b) ? -1 : 1));
    res.status(201).json(item);
  })
  .all((_req, res) => {
    res.set('Allow', 'GET, POST');
    problem(res, 405, 'Method Not Allowed', 'use GET or POST');
  });

app
  .route('/items/:id')
  .get((req, res) => {
    const item = items.find((i) => i.id === req.params.id);
    return item ? res.json(item) : problem(res, 404, 'Not Found', 'no such item');
  })
  .delete((req, res) => {
    const index = items.findIndex((i) => i.id === req.params.id);
    if (index < 0) return problem(res, 404, 'Not Found', 'no such item');
    items.splice(index, 1);
    res.status(204).end();
  })
  .all((_req, res) => {
    res.set('Allow', 'GET, DELETE');
    problem(res, 405, 'Method Not Allowed', 'use GET or DELETE');
  });

app.use((_req, res) => problem(res, 404, 'Not Found', 'no such route'));
app.use((err, _req, res, _next) => {
  const status = Number.isInteger(err.status) && err.status >= 400 && err.status < 500 ? err.status : 500;
  problem(res, status, status === 413 ? 'Content Too Large' : status === 500 ? 'Internal Server Error' : 'Bad Request', status === 500 ? 'unexpected error' : 'the request could not be read');
});

app.listen(PORT, '0.0.0.0', () => console.log(`express sliding-window variant on ${PORT}`));
