// Reference repair of the orders service (orders-service-repair v1): plain node:http, no
// dependencies. Mutants are copies of it with one planted flaw each.
import http from 'node:http';
import { createHash, randomUUID } from 'node:crypto';
import { getProduct, getProducts } from './catalog.js';

const PORT = Number(process.env.PORT ?? 3000);
const MAX_BODY_BYTES = 64 * 1024;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
const PRODUCT_CACHE_ENTRIES = 200;
const PRODUCT_CACHE_TTL_MS = 60_000;
const IDEMPOTENCY_ENTRIES = 10_000;
const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;

// ---------------------------------------------------------------- errors

class HttpError extends Error {
  constructor(status, title, detail, extra = {}) {
    super(detail);
    this.status = status;
    this.title = title;
    this.extra = extra;
  }
}

function send(res, status, body, headers = {}) {
  const payload = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(body === undefined ? {} : { 'content-type': headers['content-type'] ?? 'application/json; charset=utf-8' }),
    'content-length': Buffer.byteLength(payload),
    ...headers,
  });
  res.end(payload);
}

// RFC 9457 problem details for every error.
function sendProblem(res, error) {
  send(
    res,
    error.status,
    { type: 'about:blank', title: error.title, status: error.status, detail: error.message, ...error.extra },
    { ...(error.headers ?? {}), 'content-type': 'application/problem+json' },
  );
}

// ---------------------------------------------------------------- a bounded cache

// Least-recently-used with a time to live: a Map keeps insertion order, so re-inserting
// on a hit moves an entry to the back and the front is always the eldest.
class LruCache {
  constructor(maxEntries, ttlMs) {
    this.maxEntries = maxEntries;
    this.ttlMs = ttlMs;
    this.entries = new Map();
  }

  get(key) {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= Date.now()) return undefined;
    this.entries.set(key, entry);
    return entry.value;
  }

  set(key, value) {
    this.entries.delete(key);
    this.entries.set(key, { value, expiresAt: Date.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value);
  }
}

// Keyed by product id only: query strings and unknown ids never make new entries.
const productCache = new LruCache(PRODUCT_CACHE_ENTRIES, PRODUCT_CACHE_TTL_MS);

async function cachedProduct(id) {
  const hit = productCache.get(id);
  if (hit) return hit;
  const product = await getProduct(id);
  if (product) productCache.set(id, product);
  return product;
}

// ---------------------------------------------------------------- storage

// Orders kept sorted by (created_at, id): a keyset cursor names the last order seen, so
// pages stay stable when orders are created or cancelled between requests.
const orders = [];
const byId = new Map();

function compareKey(a, b) {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

function upperBound(key) {
  let lo = 0;
  let hi = orders.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareKey(orders[mid], key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insert(order) {
  orders.splice(upperBound(order), 0, order);
  byId.set(order.id, order);
}

function remove(order) {
  const index = upperBound(order) - 1;
  if (index >= 0 && orders[index].id === order.id) orders.splice(index, 1);
  byId.delete(order.id);
}

function encodeCursor(order) {
  return Buffer.from(JSON.stringify({ c: order.created_at, i: order.id })).toString('base64url');
}

function decodeCursor(cursor) {
  const invalid = new HttpError(400, 'Invalid cursor', 'cursor is not one this server issued');
  if (!/^[A-Za-z0-9_-]{1,512}$/.test(cursor)) throw invalid;
  let parsed;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid;
  }
  if (!parsed || typeof parsed.c !== 'string' || typeof parsed.i !== 'string' || Number.isNaN(Date.parse(parsed.c)) || new Date(parsed.c).toISOString() !== parsed.c) {
    throw invalid;
  }
  return { created_at: parsed.c, id: parsed.i };
}

// An order as clients see it: the stored order with its product's name and price.
function present(order, product) {
  const price = product?.price_cents ?? null;
  return {
    ...order,
    product: product ? { id: product.id, name: product.name, price_cents: price } : null,
    total_cents: price === null ? null : price * order.quantity,
  };
}

// ---------------------------------------------------------------- handlers

function parseLimit(raw) {
  if (raw === null) return DEFAULT_LIMIT;
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LIMIT) {
    throw new HttpError(400, 'Invalid limit', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  }
  return Number(raw);
}

async function listOrders(url) {
  const limit = parseLimit(url.searchParams.get('limit'));
  const cursor = url.searchParams.get('cursor');
  const start = cursor === null || cursor === '' ? 0 : upperBound(decodeCursor(cursor));
  const page = orders.slice(start, start + limit);
  const more = start + limit < orders.length;
  // One catalogue round trip per page, however many orders it holds.
  const products = await getProducts([...new Set(page.map((order) => order.product_id))]);
  return {
    data: page.map((order) => present(order, products.get(order.product_id))),
    next_cursor: more && page.length > 0 ? encodeCursor(page[page.length - 1]) : null,
  };
}

function validateOrder(body) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'Invalid order', 'the body must be a JSON object', { errors: [{ field: '', message: 'expected an object' }] });
  }
  const errors = [];
  if (typeof body.customer_id !== 'string' || body.customer_id.length < 1 || body.customer_id.length > 100) {
    errors.push({ field: 'customer_id', message: 'must be a string of 1 to 100 characters' });
  }
  if (typeof body.product_id !== 'string' || body.product_id.length < 1 || body.product_id.length > 100) {
    errors.push({ field: 'product_id', message: 'must be a string of 1 to 100 characters' });
  }
  if (!Number.isSafeInteger(body.quantity) || body.quantity < 1 || body.quantity > 1000) {
    errors.push({ field: 'quantity', message: 'must be an integer from 1 to 1000' });
  }
  if (errors.length > 0) {
    throw new HttpError(400, 'Invalid order', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });
  }
  return { customer_id: body.customer_id, product_id: body.product_id, quantity: body.quantity };
}

function readJsonBody(req) {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    return Promise.reject(new HttpError(415, 'Unsupported media type', 'send the body as application/json'));
  }
  if (Number(req.headers['content-length']) > MAX_BODY_BYTES) {
    return Promise.reject(new HttpError(413, 'Payload too large', `bodies are limited to ${MAX_BODY_BYTES} bytes`));
  }
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    let failed = false;
    req.on('data', (chunk) => {
      if (failed) return;
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        failed = true;
        reject(new HttpError(413, 'Payload too large', `bodies are limited to ${MAX_BODY_BYTES} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (failed) return;
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      } catch {
        reject(new HttpError(400, 'Malformed JSON', 'the body is not valid JSON'));
      }
    });
    req.on('error', () => reject(new HttpError(400, 'Bad request', 'the request body could not be read')));
  });
}

// ---------------------------------------------------------------- idempotency

// Idempotency-Key (draft-ietf-httpapi-idempotency-key-header): the first request with a
// key claims it before any await, so concurrent retries wait for its outcome instead of
// creating a second order. A key reused with a different body is refused (422).
const idempotency = new LruCache(IDEMPOTENCY_ENTRIES, IDEMPOTENCY_TTL_MS);

function fingerprint(fields) {
  return createHash('sha256').update(JSON.stringify([fields.customer_id, fields.product_id, fields.quantity])).digest('hex');
}

async function createOrder(fields) {
  const product = await getProduct(fields.product_id);
  if (!product) {
    return { status: 422, problem: new HttpError(422, 'Unknown product', `no product with id ${fields.product_id}`, { errors: [{ field: 'product_id', message: 'no such product' }] }) };
  }
  const order = { id: randomUUID(), ...fields, created_at: new Date().toISOString() };
  insert(order);
  return { status: 201, body: present(order, product), headers: { location: `/orders/${order.id}` } };
}

function reply(res, outcome, replayed) {
  if (outcome.problem) return sendProblem(res, outcome.problem);
  return send(res, outcome.status, outcome.body, { ...outcome.headers, ...(replayed ? { 'idempotent-replayed': 'true' } : {}) });
}

async function postOrder(req, res) {
  const key = req.headers['idempotency-key'];
  if (key !== undefined && (typeof key !== 'string' || key.length < 1 || key.length > 255)) {
    throw new HttpError(400, 'Invalid Idempotency-Key', 'Idempotency-Key must be 1 to 255 characters');
  }
  const fields = validateOrder(await readJsonBody(req));
  if (key === undefined) return reply(res, await createOrder(fields), false);

  const print = fingerprint(fields);
  const existing = idempotency.get(key);
  if (existing) {
    if (existing.fingerprint !== print) {
      throw new HttpError(422, 'Idempotency-Key reused', 'this Idempotency-Key was used with a different request body');
    }
    return reply(res, await existing.outcome, true);
  }
  const outcome = createOrder(fields);
  idempotency.set(key, { fingerprint: print, outcome });
  return reply(res, await outcome, false);
}

function methodNotAllowed(allow) {
  return Object.assign(new HttpError(405, 'Method not allowed', `allowed: ${allow.join(', ')}`), { headers: { allow: allow.join(', ') } });
}

async function route(req, res) {
  let url;
  let path;
  try {
    url = new URL(req.url, 'http://localhost');
    path = decodeURIComponent(url.pathname);
  } catch {
    throw new HttpError(400, 'Bad request', 'the request target is not a valid URL');
  }

  if (path === '/health') {
    if (req.method !== 'GET' && req.method !== 'HEAD') throw methodNotAllowed(['GET', 'HEAD']);
    return send(res, 200, { status: 'ok' });
  }

  if (path === '/orders') {
    if (req.method === 'GET') return send(res, 200, await listOrders(url));
    if (req.method === 'POST') return postOrder(req, res);
    throw methodNotAllowed(['GET', 'POST']);
  }

  const order = /^\/orders\/([^/]+)$/.exec(path);
  if (order) {
    const found = byId.get(order[1]);
    if (req.method === 'GET') {
      if (!found) throw new HttpError(404, 'Not found', `no order with id ${order[1]}`);
      return send(res, 200, present(found, await cachedProduct(found.product_id)));
    }
    if (req.method === 'DELETE') {
      if (!found) throw new HttpError(404, 'Not found', `no order with id ${order[1]}`);
      remove(found);
      return send(res, 204);
    }
    throw methodNotAllowed(['GET', 'DELETE']);
  }

  const product = /^\/products\/([^/]+)$/.exec(path);
  if (product) {
    if (req.method !== 'GET') throw methodNotAllowed(['GET']);
    const found = await cachedProduct(product[1]);
    if (!found) throw new HttpError(404, 'Not found', `no product with id ${product[1]}`);
    return send(res, 200, found);
  }

  throw new HttpError(404, 'Not found', 'no such route');
}

const server = http.createServer((req, res) => {
  route(req, res).catch((error) => {
    if (error instanceof HttpError) return sendProblem(res, error);
    // The log gets the details; the client gets a generic problem.
    console.error(error);
    sendProblem(res, new HttpError(500, 'Internal error', 'something went wrong'));
  });
});
server.requestTimeout = 10_000;
server.headersTimeout = 5_000;
server.listen(PORT, () => console.log(`orders service listening on ${PORT}`));

for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => server.close(() => process.exit(0)));
