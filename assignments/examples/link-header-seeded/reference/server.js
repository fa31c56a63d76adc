// Reference solution for link-header-seeded v1: plain node:http, no dependencies.
// A read-only, GitHub-style listing: 45 repositories seeded in code, paged by page number
// with RFC 8288 Link headers. Mutants are copies of it with one planted flaw.
import http from 'node:http';

const PORT = Number(process.env.PORT ?? 3000);
const RATE_LIMIT_MAX = positiveInt(process.env.RATE_LIMIT_MAX, 60);
const RATE_LIMIT_WINDOW_MS = positiveInt(process.env.RATE_LIMIT_WINDOW_MS, 60_000);
const DEFAULT_PER_PAGE = 30;
const MAX_PER_PAGE = 100;
const MAX_PAGE = 1_000_000;
const REPOS_PATH = '/repos';
const SEED_COUNT = 45;

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

function invalidParam(name, message) {
  return new HttpError(400, `Invalid ${name}`, `${name} ${message}`, { errors: [{ field: name, message }] });
}

// ---------------------------------------------------------------- rate limiting

// Fixed window per identity: the X-API-Key value when present, else the socket's address
// (never its port, never X-Forwarded-For: nothing trusted in front of this server sets it).
const windows = new Map();

function clientAddress(req) {
  const address = req.socket.remoteAddress ?? 'unknown';
  return address.startsWith('::ffff:') ? address.slice(7) : address;
}

function rateLimit(req) {
  const key = req.headers['x-api-key'];
  const identity = typeof key === 'string' && key !== '' ? `key:${key}` : `ip:${clientAddress(req)}`;
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

// ---------------------------------------------------------------- data

// Seeded once at start-up, never written: ids repo-001 … repo-045, created_at one day apart
// and ascending with the id, so id order and creation order agree.
const NAMES = ['atlas', 'beacon', 'cinder', 'delta', 'ember', 'fjord', 'gale', 'harbor', 'iris'];
const SEED_EPOCH = Date.parse('2021-01-01T09:00:00.000Z');
const repos = Array.from({ length: SEED_COUNT }, (_, i) => {
  const n = i + 1;
  const id = `repo-${String(n).padStart(3, '0')}`;
  return Object.freeze({
    id,
    name: `${NAMES[i % NAMES.length]}-${String(n).padStart(3, '0')}`,
    stars: (n * 7919) % 1000,
    created_at: new Date(SEED_EPOCH + i * 86_400_000).toISOString(),
  });
});
// The array is built in id order; sort anyway so the contract does not hang on how it was built.
repos.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
const byId = new Map(repos.map((repo) => [repo.id, repo]));

// ---------------------------------------------------------------- handlers

function parsePerPage(raw) {
  if (raw === null) return DEFAULT_PER_PAGE;
  if (!/^\d{1,3}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_PER_PAGE) {
    throw invalidParam('per_page', `must be an integer from 1 to ${MAX_PER_PAGE}`);
  }
  return Number(raw);
}

function parsePage(raw) {
  if (raw === null) return 1;
  if (!/^\d{1,7}$/.test(raw) || Number(raw) < 1 || Number(raw) > MAX_PAGE) {
    throw invalidParam('page', `must be an integer from 1 to ${MAX_PAGE}`);
  }
  return Number(raw);
}

function pageUrl(page, perPage) {
  return `${REPOS_PATH}?per_page=${perPage}&page=${page}`;
}

// RFC 8288 links for a page: next only while there is a later page; every target carries
// the per_page in force, so a client that follows links keeps its page size.
function linkHeader(page, perPage, lastPage) {
  const links = [];
  if (page < lastPage) links.push(`<${pageUrl(page + 1, perPage)}>; rel="next"`);
  if (page > 1) links.push(`<${pageUrl(Math.min(page - 1, lastPage), perPage)}>; rel="prev"`);
  links.push(`<${pageUrl(1, perPage)}>; rel="first"`);
  links.push(`<${pageUrl(lastPage, perPage)}>; rel="last"`);
  return links.join(', ');
}

function listRepos(url) {
  const perPage = parsePerPage(url.searchParams.get('per_page'));
  const page = parsePage(url.searchParams.get('page'));
  const lastPage = Math.max(1, Math.ceil(repos.length / perPage));
  const start = (page - 1) * perPage;
  const items = repos.slice(start, start + perPage);
  return { body: { items }, link: linkHeader(page, perPage, lastPage) };
}

function methodNotAllowed(allow) {
  return Object.assign(new HttpError(405, 'Method not allowed', `allowed: ${allow.join(', ')}`), {
    headers: { allow: allow.join(', ') },
  });
}

function route(req, res, limitHeaders) {
  let url;
  let path;
  try {
    url = new URL(req.url, 'http://localhost');
    path = decodeURIComponent(url.pathname);
  } catch {
    throw new HttpError(400, 'Bad request', 'the request target is not a valid URL');
  }

  if (path === REPOS_PATH) {
    if (req.method !== 'GET') throw methodNotAllowed(['GET']);
    const { body, link } = listRepos(url);
    return send(res, 200, body, { ...limitHeaders, link });
  }

  const match = /^\/repos\/([^/]+)$/.exec(path);
  if (match) {
    if (req.method !== 'GET') throw methodNotAllowed(['GET']);
    const repo = byId.get(match[1]);
    if (!repo) throw new HttpError(404, 'Not found', 'no repository with that id');
    return send(res, 200, repo, limitHeaders);
  }

  throw new HttpError(404, 'Not found', 'no such route');
}

const server = http.createServer((req, res) => {
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
    route(req, res, limit.headers);
  } catch (error) {
    const known = error instanceof HttpError ? error : new HttpError(500, 'Internal error', 'something went wrong');
    if (!(error instanceof HttpError)) console.error('unexpected error:', error);
    if (res.headersSent) return res.destroy();
    sendProblem(res, known, { ...limit.headers, ...(error?.headers ?? {}) });
  }
});

server.listen(PORT, '0.0.0.0', () => {
  console.log(`listening on 0.0.0.0:${PORT} (limit ${RATE_LIMIT_MAX} per ${RATE_LIMIT_WINDOW_MS} ms)`);
});

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => server.close(() => process.exit(0)));
}
