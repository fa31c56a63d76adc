// Variant: TypeScript with a build step; fixed window; draft-7 `RateLimit: limit=, remaining=, reset=`.
import http from 'node:http';
import { randomUUID } from 'node:crypto';

interface Item { id: string; name: string; price_cents: number; created_at: string }
class ApiError extends Error {
  constructor(readonly status: number, message: string, readonly headers: Record<string, string> = {}) { super(message); }
}

const PORT = Number(process.env.PORT ?? 3000);
const MAX = Number(process.env.RATE_LIMIT_MAX ?? 100);
const WINDOW = Number(process.env.RATE_LIMIT_WINDOW_MS ?? 60000);
const windows = new Map<string, { start: number; count: number }>();
const items: Item[] = [];

function limit(req: http.IncomingMessage): Record<string, string> {
  const key = typeof req.headers['x-api-key'] === 'string' ? `k|${req.headers['x-api-key']}` : `a|${req.socket.remoteAddress}`;
  const now = Date.now();
  let w = windows.get(key);
  if (!w || now - w.start >= WINDOW) windows.set(key, (w = { start: now, count: 0 }));
  w.count += 1;
  const reset = Math.max(1, Math.ceil((w.start + WINDOW - now) / 1000));
  const headers = { ratelimit: `limit=${MAX}, remaining=${Math.max(0, MAX - w.count)}, reset=${reset}` };
  if (w.count > MAX) throw new ApiError(429, 'too many requests', { ...headers, 'retry-after': String(reset) });
  return headers;
}

async function body(req: http.IncomingMessage): Promise<unknown> {
  if (!/^application\/json/i.test(req.headers['content-type'] ?? '')) throw new ApiError(415, 'expected application/json');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > 1_048_576) throw new ApiError(413, 'body too large', { connection: 'close' });
    chunks.push(chunk as Buffer);
  }
  try { return JSON.parse(Buffer.concat(chunks).toString('utf8')); } catch { throw new ApiError(400, 'malformed JSON'); }
}

const cursorOf = (item: Item) => Buffer.from(`${item.created_at}~${item.id}`).toString('base64url');
const order = (a: Item, b: Item) => (a.created_at + a.id < b.created_at + b.id ? -1 : 1);

async function handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://x');
  let path: string;
  try { path = decodeURIComponent(url.pathname); } catch { throw new ApiError(400, 'bad path'); }
  if (path === '/health') return send(res, 200, { up: true });
  const headers = limit(req);
  if (path === '/items' && req.method === 'GET') {
    const raw = url.searchParams.get('limit');
    if (raw !== null && !/^\d+$/.test(raw)) throw new ApiError(400, 'limit must be an integer');
    const n = raw === null ? 20 : Number(raw);
    if (n < 1 || n > 100) throw new ApiError(400, 'limit must be between 1 and 100');
    const cursor = url.searchParams.get('cursor');
    let from = 0;
    if (cursor !== null) {
      const [createdAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split('~');
      if (!createdAt || !id || Number.isNaN(Date.parse(createdAt))) throw new ApiError(400, 'invalid cursor');
      from = items.findIndex((item) => item.created_at + item.id > createdAt + id);
      if (from < 0) from = items.length;
    }
    const data = items.slice(from, from + n);
    const next = from + n < items.length ? cursorOf(data[data.length - 1]!) : null;
    return send(res, 200, { data, next_cursor: next }, headers);
  }
  if (path === '/items' && req.method === 'POST') {
    const input = await body(req);
    if (typeof input !== 'object' || input === null || Array.isArray(input)) throw new ApiError(400, 'expected an object');
    const { name, price_cents } = input as Record<string, unknown>;
    if (typeof name !== 'string' || name.length < 1 || name.length > 200) throw new ApiError(400, 'name must have 1 to 200 characters');
    if (typeof price_cents !== 'number' || !Number.isSafeInteger(price_cents) || price_cents < 0) throw new ApiError(400, 'price_cents must be an integer >= 0');
    const item: Item = { id: randomUUID(), name, price_cents, created_at: new Date().toISOString() };
    items.push(item);
    items.sort(order);
    return send(res, 201, item, headers);
  }
  const match = /^\/items\/([^/]+)$/.exec(path);
  if (match && (req.method === 'GET' || req.method === 'DELETE')) {
    const index = items.findIndex((item) => item.id === match[1]);
    if (index < 0) throw new ApiError(404, 'item not found');
    if (req.method === 'GET') return send(res, 200, items[index], headers);
    items.splice(index, 1);
    res.writeHead(204, headers).end();
    return;
  }
  throw new ApiError(404, 'route not found');
}

function send(res: http.ServerResponse, status: number, payload: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(payload));
}

http
  .createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      const known = error instanceof ApiError ? error : new ApiError(500, 'internal error');
      if (!res.headersSent) send(res, known.status, { error: known.message }, known.headers);
      if (known.status === 413) req.resume();
    });
  })
  .listen(PORT, () => console.log(`typescript variant on ${PORT}`));
