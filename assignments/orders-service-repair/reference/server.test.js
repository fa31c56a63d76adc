// Own tests of the reference repair: start the server on a free port and exercise each fix.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { after, before, test } from 'node:test';

const PORT = 3400 + Math.floor(Math.random() * 500);
const base = `http://127.0.0.1:${PORT}`;
let server;

before(async () => {
  server = spawn(process.execPath, ['server.js'], { env: { ...process.env, PORT: String(PORT) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await once(server.stdout, 'data');
});
after(() => server.kill());

const post = (body, key) =>
  fetch(`${base}/orders`, { method: 'POST', headers: { 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) }, body: JSON.stringify(body) });

test('a retry with the same key returns the first order', async () => {
  const body = { customer_id: 'c-1', product_id: 'p-001', quantity: 2 };
  const first = await (await post(body, 'k-1')).json();
  const again = await post(body, 'k-1');
  assert.equal(again.headers.get('idempotent-replayed'), 'true');
  assert.equal((await again.json()).id, first.id);
});

test('the same key with another body is refused', async () => {
  await post({ customer_id: 'c-2', product_id: 'p-001', quantity: 1 }, 'k-2');
  const conflicting = await post({ customer_id: 'c-2', product_id: 'p-001', quantity: 3 }, 'k-2');
  assert.equal(conflicting.status, 422);
});

test('a list page carries each order with its product', async () => {
  const page = await (await fetch(`${base}/orders?limit=5`)).json();
  assert.ok(page.data.length > 0);
  assert.ok(page.data.every((order) => order.product && order.total_cents === order.product.price_cents * order.quantity));
});
