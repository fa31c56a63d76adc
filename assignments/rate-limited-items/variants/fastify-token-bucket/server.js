// Variant: Fastify 5 with a token bucket (capacity N, refilled N per window, continuously).
import Fastify from 'fastify';
import { randomUUID } from 'node:crypto';

const PORT = Number(process.env.PORT ?? 3000);
const CAPACITY = Number(process.env.RATE_LIMIT_MAX ?? 100);
const WINDOW = Number(process.env.RATE_LIMIT_WINDOW_MS ?? 60000);
const RATE = CAPACITY / WINDOW; // tokens per ms

const app = Fastify({
  bodyLimit: 1024 * 1024,
  logger: false,
  // Malformed URLs and the like: answer in the same problem format as everything else.
  frameworkErrors: (error, _request, reply) => problem(reply, 400, 'Bad Request', error.message),
});
// Only JSON bodies are accepted; without this Fastify would parse text/plain into a string.
app.removeContentTypeParser('text/plain');

function problem(reply, status, title, detail, extra = {}) {
  return reply.code(status).type('application/problem+json').send({ type: 'about:blank', title, status, detail, ...extra });
}

const buckets = new Map();
app.addHook('onRequest', async (request, reply) => {
  if (request.url === '/health') return;
  const id = request.headers['x-api-key'] ? `k:${request.headers['x-api-key']}` : `ip:${request.socket.remoteAddress}`;
  const now = Date.now();
  const bucket = buckets.get(id) ?? { tokens: CAPACITY, at: now };
  bucket.tokens = Math.min(CAPACITY, bucket.tokens + (now - bucket.at) * RATE);
  bucket.at = now;
  buckets.set(id, bucket);
  const untilFull = Math.ceil((CAPACITY - bucket.tokens) / RATE / 1000);
  if (bucket.tokens < 1) {
    const wait = Math.max(1, Math.ceil((1 - bucket.tokens) / RATE / 1000));
    reply.header('ratelimit-limit', CAPACITY).header('ratelimit-remaining', 0).header('ratelimit-reset', wait).header('retry-after', wait);
    return problem(reply, 429, 'Too Many Requests', 'rate limit exceeded');
  }
  bucket.tokens -= 1;
  reply.header('ratelimit-limit', CAPACITY).header('ratelimit-remaining', Math.floor(bucket.tokens)).header('ratelimit-reset', Math.max(1, untilFull));
});

app.setErrorHandler((error, _request, reply) => {
  const status = error.statusCode && error.statusCode >= 400 && error.statusCode < 500 ? error.statusCode : 500;
  const title = status === 413 ? 'Content Too Large' : status === 415 ? 'Unsupported Media Type' : status === 400 ? 'Bad Request' : 'Internal Server Error';
  return problem(reply, status, title, status === 500 ? 'unexpected error' : 'the request could not be processed');
});
app.setNotFoundHandler((_request, reply) => problem(reply, 404, 'Not Found', 'no such resource'));

app.get('/health', async () => ({ status: 'up' }));

const items = [];
const byId = new Map();
const after = (a, key) => a.created_at > key.created_at || (a.created_at === key.created_at && a.id > key.id);

app.get('/items', async (request, reply) => {
  const { limit: rawLimit, cursor } = request.query;
  let limit = 20;
  if (rawLimit !== undefined) {
    if (typeof rawLimit !== 'string' || !/^[1-9]\d*$/.test(rawLimit) || Number(rawLimit) > 100) {
      return problem(reply, 400, 'Bad Request', 'limit must be 1..100');
    }
    limit = Number(rawLimit);
  }
  let from = 0;
  if (cursor !== undefined) {
    let key;
    try {
      key = JSON.parse(Buffer.from(String(cursor), 'base64url').toString());
    } catch {
      key = null;
    }
    if (!key || typeof key.created_at !== 'string' || typeof key.id !== 'string') return problem(reply, 400, 'Bad Request', 'invalid cursor');
    from = items.findIndex((item) => after(item, key));
    if (from < 0) from = items.length;
  }
  const data = items.slice(from, from + limit);
  const last = data[data.length - 1];
  const next = from + limit < items.length && last ? Buffer.from(JSON.stringify({ created_at: last.created_at, id: last.id })).toString('base64url') : null;
  return { data, next_cursor: next };
});

app.post('/items', async (request, reply) => {
  const body = request.body;
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return problem(reply, 422, 'Unprocessable Content', 'body must be a JSON object', { errors: [{ pointer: '#', detail: 'expected an object' }] });
  }
  const errors = [];
  if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 200) errors.push({ pointer: '#/name', detail: 'name: 1..200 characters' });
  if (!Number.isSafeInteger(body.price_cents) || body.price_cents < 0) errors.push({ pointer: '#/price_cents', detail: 'price_cents: integer >= 0' });
  if (errors.length) return problem(reply, 422, 'Unprocessable Content', errors.map((e) => e.detail).join('; '), { errors });
  const item = { id: randomUUID(), name: body.name, price_cents: body.price_cents, created_at: new Date().toISOString() };
  let at = items.length;
  while (at > 0 && after(items[at - 1], item)) at -= 1;
  items.splice(at, 0, item);
  byId.set(item.id, item);
  return reply.code(201).send(item);
});

app.get('/items/:id', async (request, reply) => {
  const item = byId.get(request.params.id);
  return item ?? problem(reply, 404, 'Not Found', 'no such item');
});

app.delete('/items/:id', async (request, reply) => {
  const item = byId.get(request.params.id);
  if (!item) return problem(reply, 404, 'Not Found', 'no such item');
  byId.delete(item.id);
  items.splice(items.indexOf(item), 1);
  return reply.code(204).send();
});

app.listen({ port: PORT, host: '0.0.0.0' }).then(() => console.log(`fastify variant on ${PORT}`));
