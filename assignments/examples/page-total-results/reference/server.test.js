// Smoke tests with node:test: start the server on a free port and exercise the contract.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';

let server;
let base;

async function freePort() {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

before(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = spawn(process.execPath, ['server.js'], { env: { ...process.env, PORT: String(port), RATE_LIMIT_MAX: '30', RATE_LIMIT_WINDOW_MS: '60000' }, stdio: 'ignore' });
  for (let i = 0; i < 50; i += 1) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('server did not start');
});

after(() => server.kill());

const asKey = (key, init = {}) => ({ ...init, headers: { ...init.headers, 'x-api-key': key } });

test('pages are 1-based and total is the collection size', async () => {
  const ids = [];
  for (let n = 1; n <= 5; n += 1) {
    const created = await fetch(`${base}/books`, asKey('pages', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ title: `book ${n}`, pages: 100 }) }));
    assert.equal(created.status, 201);
    ids.push((await created.json()).id);
  }
  const first = await (await fetch(`${base}/books?page=1&limit=2`, asKey('pages'))).json();
  const unnumbered = await (await fetch(`${base}/books?limit=2`, asKey('pages'))).json();
  const last = await (await fetch(`${base}/books?page=3&limit=2`, asKey('pages'))).json();
  const past = await (await fetch(`${base}/books?page=9&limit=2`, asKey('pages'))).json();
  assert.deepEqual(first.results, unnumbered.results);
  assert.equal(first.total, 5);
  assert.equal(last.results.length, 1);
  assert.equal(last.total, 5);
  assert.deepEqual(past.results, []);
  assert.equal(past.total, 5);
});

test('page 0, negative and fractional pages are 400 problems', async () => {
  for (const page of ['0', '-1', '1.5', 'abc']) {
    const response = await fetch(`${base}/books?page=${page}`, asKey('bad-page'));
    assert.equal(response.status, 400, `page=${page}`);
    assert.match(response.headers.get('content-type'), /problem\+json/);
  }
});

test('two keys have separate budgets', async () => {
  const statuses = async (key, n) => {
    const out = [];
    for (let i = 0; i < n; i += 1) out.push((await fetch(`${base}/books`, asKey(key))).status);
    return out;
  };
  assert.equal((await statuses('a', 31)).at(-1), 429);
  assert.equal((await statuses('b', 1))[0], 200);
});
