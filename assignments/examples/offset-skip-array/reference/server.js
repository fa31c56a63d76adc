// Reference solution for offset-skip-array v1: plain node:http, no dependencies.
// It must pass every must-check; mutants are copies of it with one planted flaw.
import http from 'node:http';

const PORT = Number(process.env.PORT ?? 3000);
// The budget is part of the contract and fixed in code, not read from the environment.
const RATE_LIMIT_MAX = 10;
const RATE_LIMIT_WINDOW_MS = 60_000;
const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

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
function sendProblem(res, error, headers = {}) {
  send(
    res,
    error.status,
    { type: 'about:blank', title: error.title, status: error.status, detail: error.message, ...error.extra },
    { ...headers, 'content-type': 'application/problem+json' },
  );
}

function invalidParameter(name, message) {
  return new HttpError(400, 'Invalid query parameter', `${name} ${message}`, { errors: [{ field: name, message }] });
}

// ---------------------------------------------------------------- rate limiting

// Fixed window per client IP: the socket's address, without its port (every new TCP
// connection gets a new port) and without X-Forwarded-For (nothing trusted in front of
// this server sets it, so any client could rotate it).
const windows = new Map();

function clientAddress(req) {
  const address = req.socket.remoteAddress ?? 'unknown';
  // An IPv4 client of a dual-stack socket shows up as ::ffff:a.b.c.d.
  return address.startsWith('::ffff:') ? address.slice('::ffff:'.length) : address;
}

function rateLimit(req) {
  const identity = clientAddress(req);
  const now = Date.now();
  let entry = windows.get(identity);
  if (!entry || entry.resetAt <= now) {
    entry = { count: 0, resetAt: now + RATE_LIMIT_WINDOW_MS };
    windows.set(identity, entry);
  }
  // Check and increment happen in one synchronous step: no await between them.
  entry.count += 1;
  const resetSeconds = Math.max(1, Math.ceil((entry.resetAt - now) / 1000));
  const headers = {
    'ratelimit-limit': String(RATE_LIMIT_MAX),
    'ratelimit-remaining': String(Math.max(0, RATE_LIMIT_MAX - entry.count)),
    'ratelimit-reset': String(resetSeconds),
  };
  if (entry.count > RATE_LIMIT_MAX) {
    return { limited: true, headers: { ...headers, 'retry-after': String(resetSeconds) } };
  }
  return { limited: false, headers };
}

setInterval(() => {
  const now = Date.now();
  for (const [identity, entry] of windows) if (entry.resetAt <= now) windows.delete(identity);
}, 10_000).unref();

// ---------------------------------------------------------------- storage

// Ids are assigned 1, 2, 3… and products are appended, so the array is always sorted by
// id (which is also creation order, ties of created_at included). A page is a slice.
const products = [];
const byId = new Map();
let nextId = 1;

// Index of the product with this id in `products`, or -1 (binary search on id).
function indexOf(id) {
  let lo = 0;
  let hi = products.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (products[mid].id === id) return mid;
    if (products[mid].id < id) lo = mid + 1;
    else hi = mid - 1;
  }
  return -1;
}

function remove(product) {
  const index = indexOf(product.id);
  if (index >= 0) products.splice(index, 1);
  byId.delete(product.id);
}

// ---------------------------------------------------------------- handlers

function parseLimit(raw) {
  if (raw === null) return DEFAULT_LIMIT;
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LIMIT) {
    throw invalidParameter('limit', `must be an integer from 1 to ${MAX_LIMIT}`);
  }
  return Number(raw);
}

function parseSkip(raw) {
  if (raw === null) return 0;
  if (!/^\d+$/.test(raw)) {
    throw invalidParameter('skip', 'must be a non-negative integer');
  }
  return Number(raw);
}

function listProducts(url) {
  const limit = parseLimit(url.searchParams.get('limit'));
  const skip = parseSkip(url.searchParams.get('skip'));
  // Past the end, slice returns [] — an empty page, not an error.
  return products.slice(skip, skip + limit);
}

function validateProduct(body) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'Invalid product', 'the body must be a JSON object', {
      errors: [{ field: '', message: 'expected an object' }],
    });
  }
  const errors = [];
  if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 200) {
    errors.push({ field: 'name', message: 'must be a string of 1 to 200 characters' });
  }
  if (!Number.isSafeInteger(body.price) || body.price < 0) {
    errors.push({ field: 'price', message: 'must be an integer >= 0' });
  }
  if (errors.length > 0) {
    throw new HttpError(400, 'Invalid product', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });
  }
  return { name: body.name, price: body.price };
}

function readJsonBody(req) {
  const type = String(req.headers['content-type'] ?? '');
  if (!/^application\/(?:[\w.+-]+\+)?json\s*(?:;|$)/i.test(type)) {
    return Promise.reject(new HttpError(415, 'Unsupported media type', 'send the body as application/json'));
  }
  const declared = Number(req.headers['content-length']);
  if (declared > MAX_BODY_BYTES) {
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

function methodNotAllowed(allow) {
  return Object.assign(new HttpError(405, 'Method not allowed', `allowed: ${allow.join(', ')}`), {
    headers: { allow: allow.join(', ') },
  });
}

// A product id is a (decimal) integer; anything else is a malformed request, not a miss.
function findProduct(rawId) {
  if (!/^-?\d{1,20}$/.test(rawId)) {
    throw new HttpError(400, 'Invalid id', 'a product id is an integer', { errors: [{ field: 'id', message: 'must be an integer' }] });
  }
  const product = byId.get(Number(rawId));
  if (!product) throw new HttpError(404, 'Not found', `no product with id ${rawId}`);
  return product;
}

async function route(req, res, limitHeaders) {
  let url;
  let path;
  try {
    url = new URL(req.url, 'http://localhost');
    path = decodeURIComponent(url.pathname);
  } catch {
    throw new HttpError(400, 'Bad request', 'the request target is not a valid URL');
  }

  if (path === '/products') {
    if (req.method === 'GET') return send(res, 200, listProducts(url), limitHeaders);
    if (req.method === 'POST') {
      const fields = validateProduct(await readJsonBody(req));
      const product = { id: nextId++, ...fields, created_at: new Date().toISOString() };
      products.push(product);
      byId.set(product.id, product);
      return send(res, 201, product, { ...limitHeaders, location: `/products/${product.id}` });
    }
    throw methodNotAllowed(['GET', 'POST']);
  }

  const match = /^\/products\/([^/]+)$/.exec(path);
  if (match) {
    if (req.method === 'GET') return send(res, 200, findProduct(match[1]), limitHeaders);
    if (req.method === 'DELETE') {
      remove(findProduct(match[1]));
      return send(res, 204, undefined, limitHeaders);
    }
    throw methodNotAllowed(['GET', 'DELETE']);
  }

  throw new HttpError(404, 'Not found', 'no such route');
}

const server = http.createServer(async (req, res) => {
  if (req.url === '/health' || req.url?.startsWith('/health?')) {
    return send(res, 200, { status: 'ok' });
  }
  const limit = rateLimit(req);
  try {
    if (limit.limited) {
      throw Object.assign(new HttpError(429, 'Too many requests', 'rate limit exceeded; retry later'), {
        headers: limit.headers,
      });
    }
    await route(req, res, limit.headers);
  } catch (error) {
    const known = error instanceof HttpError ? error : new HttpError(500, 'Internal error', 'something went wrong');
    if (!(error instanceof HttpError)) console.error('unexpected error:', error);
    if (res.headersSent) return res.destroy();
    // An unread oversized body would otherwise keep the connection busy.
    if (known.status === 413) res.setHeader('connection', 'close');
    sendProblem(res, known, { ...limit.headers, ...(error?.headers ?? {}) });
  }
});

server.listen(PORT, '0.0.0.0', () => {
  console.log(`listening on 0.0.0.0:${PORT} (limit ${RATE_LIMIT_MAX} per ${RATE_LIMIT_WINDOW_MS} ms per client IP)`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
