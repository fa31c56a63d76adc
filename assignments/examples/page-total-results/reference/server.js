// Reference solution for page-total-results v1: plain node:http, no dependencies.
// It must pass every must-check; mutants are copies of it with one planted flaw.
import http from 'node:http';
import { randomUUID } from 'node:crypto';

const PORT = Number(process.env.PORT ?? 3000);
const RATE_LIMIT_MAX = positiveInt(process.env.RATE_LIMIT_MAX, 100);
const RATE_LIMIT_WINDOW_MS = positiveInt(process.env.RATE_LIMIT_WINDOW_MS, 60_000);
const MAX_BODY_BYTES = 1024 * 1024;
const DEFAULT_LIMIT = 20;
const MAX_LIMIT = 100;
// Pages are numbered from 1: page N serves items (N - FIRST_PAGE) * limit onwards.
const FIRST_PAGE = 1;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

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

function invalidParameter(name, message) {
  return new HttpError(400, 'Invalid query parameter', `${name} ${message}`, { errors: [{ field: name, message }] });
}

// ---------------------------------------------------------------- rate limiting

// Fixed window per identity: the X-API-Key value when sent, else the client's socket
// address. The two live in separate namespaces, so a keyed request never spends the
// address's budget and vice versa. X-Forwarded-For and friends are ignored on purpose:
// nothing trusted in front of this server sets them.
const windows = new Map();

function clientAddress(req) {
  const address = req.socket.remoteAddress ?? 'unknown';
  // An IPv4 client on a dual-stack socket shows up as ::ffff:a.b.c.d.
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function identityOf(req) {
  const key = req.headers['x-api-key'];
  if (typeof key === 'string' && key !== '') return `key:${key}`;
  return `ip:${clientAddress(req)}`;
}

function rateLimit(req) {
  const identity = identityOf(req);
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

// Books kept sorted by (created_at, id), so a page is a slice and total is the length.
const books = [];
const byId = new Map();

function compareKey(a, b) {
  if (a.created_at !== b.created_at) return a.created_at < b.created_at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

// Index of the first book whose key is greater than `key`.
function upperBound(key) {
  let lo = 0;
  let hi = books.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (compareKey(books[mid], key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insert(book) {
  books.splice(upperBound(book), 0, book);
  byId.set(book.id, book);
}

function remove(book) {
  const index = upperBound(book) - 1;
  if (index >= 0 && books[index].id === book.id) books.splice(index, 1);
  byId.delete(book.id);
}

// ---------------------------------------------------------------- handlers

function parseLimit(raw) {
  if (raw === null) return DEFAULT_LIMIT;
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_LIMIT) {
    throw invalidParameter('limit', `must be an integer from 1 to ${MAX_LIMIT}`);
  }
  return Number(raw);
}

function parsePage(raw) {
  if (raw === null) return FIRST_PAGE;
  if (!/^\d{1,15}$/.test(raw) || Number(raw) < FIRST_PAGE) {
    throw invalidParameter('page', `must be an integer >= ${FIRST_PAGE}`);
  }
  return Number(raw);
}

function listBooks(url) {
  const limit = parseLimit(url.searchParams.get('limit'));
  const page = parsePage(url.searchParams.get('page'));
  const start = (page - FIRST_PAGE) * limit;
  const results = books.slice(start, start + limit);
  return {
    page,
    limit,
    total: books.length,
    results,
  };
}

function validateBook(body) {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw new HttpError(400, 'Invalid book', 'the body must be a JSON object', {
      errors: [{ field: '', message: 'expected an object' }],
    });
  }
  const errors = [];
  if (typeof body.title !== 'string' || body.title.length < 1 || body.title.length > 200) {
    errors.push({ field: 'title', message: 'must be a string of 1 to 200 characters' });
  }
  if (!Number.isSafeInteger(body.pages) || body.pages < 0) {
    errors.push({ field: 'pages', message: 'must be an integer >= 0' });
  }
  if (errors.length > 0) {
    throw new HttpError(400, 'Invalid book', errors.map((e) => `${e.field} ${e.message}`).join('; '), { errors });
  }
  return { title: body.title, pages: body.pages };
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

function findBook(id) {
  if (!UUID.test(id)) {
    throw new HttpError(400, 'Invalid id', 'id must be a UUID', { errors: [{ field: 'id', message: 'must be a UUID' }] });
  }
  const book = byId.get(id.toLowerCase());
  if (!book) throw new HttpError(404, 'Not found', `no book with id ${id}`);
  return book;
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

  if (path === '/books') {
    if (req.method === 'GET') return send(res, 200, listBooks(url), limitHeaders);
    if (req.method === 'POST') {
      const fields = validateBook(await readJsonBody(req));
      const book = { id: randomUUID(), ...fields, created_at: new Date().toISOString() };
      insert(book);
      return send(res, 201, book, { ...limitHeaders, location: `/books/${book.id}` });
    }
    throw methodNotAllowed(['GET', 'POST']);
  }

  const match = /^\/books\/([^/]+)$/.exec(path);
  if (match) {
    if (req.method === 'GET') return send(res, 200, findBook(match[1]), limitHeaders);
    if (req.method === 'DELETE') {
      remove(findBook(match[1]));
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
