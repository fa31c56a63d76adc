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
  server = spawn(process.execPath, ['server.js'], { env: { ...process.env, PORT: String(port), RATE_LIMIT_MAX: '3', RATE_LIMIT_WINDOW_MS: '60000' }, stdio: 'ignore' });
  for (let i = 0; i < 50; i += 1) {
    try {
      if ((await fetch(`${base}/health`)).ok) return;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('server did not start');
});

after(() => server.kill());

test('creates and fetches an item', async () => {
  const created = await fetch(`${base}/items`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'a' }, body: JSON.stringify({ name: 'x', price_cents: 1 }) });
  assert.equal(created.status, 201);
  const item = await created.json();
  const fetched = await fetch(`${base}/items/${item.id}`, { headers: { 'x-api-key': 'a' } });
  assert.deepEqual(await fetched.json(), item);
});

test('the fourth request on a key is limited with Retry-After', async () => {
  const statuses = [];
  for (let i = 0; i < 4; i += 1) statuses.push((await fetch(`${base}/items`, { headers: { 'x-api-key': 'b' } })).status);
  assert.deepEqual(statuses, [200, 200, 200, 429]);
});

test('malformed JSON is a 400 problem', async () => {
  const response = await fetch(`${base}/items`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-api-key': 'c' }, body: '{"name":' });
  assert.equal(response.status, 400);
  assert.match(response.headers.get('content-type'), /problem\+json/);
});
