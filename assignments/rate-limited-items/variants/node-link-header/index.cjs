// Variant: node:http, Link-header pagination, sliding-window-log limiter (CommonJS on purpose).
const http = require('node:http');

const PORT = Number(process.env.PORT || 3000);
const MAX = Number(process.env.RATE_LIMIT_MAX || 100);
const WINDOW = Number(process.env.RATE_LIMIT_WINDOW_MS || 60000);

const logs = new Map();
let nextId = 1;
const items = [];

function reply(res, status, body, headers = {}) {
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...headers });
  res.end(text);
}
const error = (res, status, message, headers) => reply(res, status, { message }, headers);

function limited(req) {
  const who = req.headers['x-api-key'] ? `key ${req.headers['x-api-key']}` : `addr ${req.socket.remoteAddress}`;
  const now = Date.now();
  const log = (logs.get(who) || []).filter((t) => t > now - WINDOW);
  logs.set(who, log);
  if (log.length >= MAX) {
    // HTTP-date, rounded up to the next whole second so it is never in the past.
    const when = new Date(Math.ceil((log[0] + WINDOW) / 1000) * 1000);
    return { 'retry-after': when.toUTCString() };
  }
  log.push(now);
  return null;
}

function readBody(req, cb) {
  const type = req.headers['content-type'] || '';
  if (!/^application\/json\b/i.test(type)) return cb(415, 'content type must be application/json');
  let size = 0;
  const chunks = [];
  let done = false;
  req.on('data', (c) => {
    size += c.length;
    if (size > 1024 * 1024 && !done) {
      done = true;
      cb(413, 'body larger than 1 MB');
      req.resume();
      return;
    }
    if (!done) chunks.push(c);
  });
  req.on('end', () => {
    if (done) return;
    try {
      cb(null, JSON.parse(Buffer.concat(chunks).toString()));
    } catch {
      cb(400, 'malformed JSON');
    }
  });
}

const server = http.createServer((req, res) => {
  let url;
  try {
    url = new URL(req.url, 'http://localhost');
    decodeURIComponent(url.pathname);
  } catch {
    return error(res, 400, 'bad URL');
  }
  if (url.pathname === '/health') return reply(res, 200, { healthy: true });
  const retry = limited(req);
  if (retry) return error(res, 429, 'rate limit exceeded', retry);

  if (url.pathname === '/items' && req.method === 'GET') {
    const rawLimit = url.searchParams.get('limit');
    if (rawLimit !== null && !/^(100|[1-9]\d?)$/.test(rawLimit)) return error(res, 400, 'limit must be 1-100');
    const limit = rawLimit === null ? 20 : Number(rawLimit);
    const cursor = url.searchParams.get('cursor');
    if (cursor !== null && !/^\d{1,15}$/.test(cursor)) return error(res, 400, 'invalid cursor');
    const afterId = cursor === null ? 0 : Number(cursor);
    const start = items.findIndex((item) => item.id > afterId);
    const from = start === -1 ? items.length : start;
    const data = items.slice(from, from + limit);
    const headers = {};
    if (from + limit < items.length) {
      headers.link = `</items?limit=${limit}&cursor=${data[data.length - 1].id}>; rel="next"`;
    }
    return reply(res, 200, { data }, headers);
  }
  if (url.pathname === '/items' && req.method === 'POST') {
    return readBody(req, (status, body) => {
      if (status) return error(res, status, body, status === 413 ? { connection: 'close' } : {});
      if (!body || typeof body !== 'object' || Array.isArray(body)) return error(res, 422, 'expected a JSON object');
      if (typeof body.name !== 'string' || body.name.length < 1 || body.name.length > 200) return error(res, 422, 'name must be 1-200 characters');
      if (!Number.isSafeInteger(body.price_cents) || body.price_cents < 0) return error(res, 422, 'price_cents must be a non-negative integer');
      const item = { id: nextId++, name: body.name, price_cents: body.price_cents, created_at: new Date().toISOString() };
      items.push(item);
      return reply(res, 201, item);
    });
  }
  const match = /^\/items\/(\d{1,15})$/.exec(url.pathname);
  if (match && (req.method === 'GET' || req.method === 'DELETE')) {
    const index = items.findIndex((item) => item.id === Number(match[1]));
    if (index === -1) return error(res, 404, 'item not found');
    if (req.method === 'GET') return reply(res, 200, items[index]);
    items.splice(index, 1);
    return reply(res, 204);
  }
  return error(res, 404, 'not found');
});

server.listen(PORT, () => console.log(`node link-header variant on ${PORT}`));
