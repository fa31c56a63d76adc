// Reference solution for rate-limited-items v1: plain node:http, no dependencies.
// It must pass every must-check; mutants are copies of it with one planted flaw.
import http from 'node:http';
import { randomUUID } from 'node:crypto';

const PORT = Number(process.env.PORT ?? 3000);
const RATE_LIMIT_MAX = positiveInt(process.env.RATE_LIMIT_MAX, 100);
const RATE_LIMIT_WINDOW_MS = positiveInt(process.env.RATE_LIMIT_WINDOW_MS, 60_000);
const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;

function positiveInt(value, fallback) {
  const n = Number(value);
  return Number.isSafeInteger(n) && n > 0 ? n : fallback;
}

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

// ---------------------------------------------------------------- rate limiting

// Fixed window per identity: the API key when present, else the socket's address.
// X-Forwarded-For is ignored on purpose: nothing in front of this server sets it.
const windows = new Map();

function rateLimit(req) {
  const key = req.headers['x-api-key'];
  const identity = typeof key === 'string' && key !== '' ? `key:${key}` : `ip:${req.socket.remoteAddress}`;
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

// Items kept sorted by (created_at, id): a keyset cursor names the last item seen,
// so pages stay stable when items are created or deleted between requests.
const items = [];
const byId = new Map();

function compareKey(a, b) {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

// Index of the first item whose key is greater than `key`.
function upperBound(key) {
  let lo = 0;
  let hi = items.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareKey(items[mid], key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insert(item) {
  items.splice(upperBound(item), 0, item);
  byId.set(item.id, item);
}

function remove(item) {
  const index = upperBound(item) - 1;
  if (index >= 0 && items[index].id === item.id) items.splice(index, 1);
  byId.delete(item.id);
}

function encodeCursor(item) {
  return Buffer.from(JSON.stringify({ c: item.created_at, i: item.id })).toString('base64url');
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
  if (
    !parsed ||
    typeof parsed.c !== 'string' ||
    typeof parsed.i !== 'string' ||
    Number.isNaN(Date.parse(parsed.c)) ||
    new Date(parsed.c).toISOString() !== parsed.c
  ) {
    throw invalid;
  }
  return { created_at: parsed.c, id: parsed.i };
}

// ---------------------------------------------------------------- handlers

function parseLimit(raw) {
  if (raw === null) return DEFAULT_LIMIT;
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LIMIT) {
    throw new HttpError(400, 'Invalid limit', `limit must be an integer from 1 to ${MAX_LIMIT}`);
  }
  return Number(raw);
}

function listItems(url) {
  const limit = parseLimit(url.searchParams.get('limit'));
  const cursor = url.searchParams.get('cursor');
  const start = cursor === null || cursor === '' ? 0 : upperBound(decodeCursor(cursor));
  const page = items.slice(start, start + limit);
  const more = start + limit < items.length;
  return { data: page, next_cursor: more && page.length > 0 ? encodeCursor(page[page.length - 1]) : null };
}

function validateItem(body) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'Invalid item', 'the body must be a JSON object', {
      errors: [{ field: '', message: 'expected an object' }],
    });
  }
  const errors = [];
  if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 200) {
    errors.push({ field: 'name', message: 'must be a string of 1 to 200 characters' });
  }
  if (!Number.isSafeInteger(body.price_cents) || body.price_cents < 0) {
    errors.push({ field: 'price_cents', message: 'must be an integer >= 0' });
  }
  if (errors.length > 0) {
    throw new HttpError(400, 'Invalid item', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });
  }
  return { name: body.name, price_cents: body.price_cents };
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

async function route(req, res, limitHeaders) {
  let url;
  let path;
  try {
    url = new URL(req.url, 'http://localhost');
    path = decodeURIComponent(url.pathname);
  } catch {
    throw new HttpError(400, 'Bad request', 'the request target is not a valid URL');
  }

  if (path === '/items') {
    if (req.method === 'GET') return send(res, 200, listItems(url), limitHeaders);
    if (req.method === 'POST') {
      const fields = validateItem(await readJsonBody(req));
      const item = { id: randomUUID(), ...fields, created_at: new Date().toISOString() };
      insert(item);
      return send(res, 201, item, { ...limitHeaders, location: `/items/${item.id}` });
    }
    throw methodNotAllowed(['GET', 'POST']);
  }

  const match = /^\/items\/([^/]+)$/.exec(path);
  if (match) {
    const item = byId.get(match[1]);
    if (req.method === 'GET') {
      if (!item) throw new HttpError(404, 'Not found', `no item with id ${match[1]}`);
      return send(res, 200, item, limitHeaders);
    }
    if (req.method === 'DELETE') {
      if (!item) throw new HttpError(404, 'Not found', `no item with id ${match[1]}`);
      remove(item);
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
  console.log(`listening on 0.0.0.0:${PORT} (limit ${RATE_LIMIT_MAX} per ${RATE_LIMIT_WINDOW_MS} ms)`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
