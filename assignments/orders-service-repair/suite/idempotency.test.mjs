// Hidden suite: Idempotency-Key on POST /orders (draft-ietf-httpapi-idempotency-key-header).
// Run by the harness inside the prober, never shown to candidates:
//   node --test-reporter=tap idempotency.test.mjs   (in-process, so results stream as tests end)
// BASE_URL points at the candidate's server (through the harness's recording proxy).
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { beforeEach, describe, test } from 'node:test';

const BASE_URL = process.env.BASE_URL ?? 'http://127.0.0.1:3000';
// X-Test-Name tells the harness's recording proxy which test sent a request, so each check's
// evidence holds exactly its own requests (the proxy strips it before the server sees it).
let current = '';
const tagged = (headers = {}) => ({ ...headers, 'x-test-name': current });

async function post(body, key) {
  const response = await fetch(`${BASE_URL}/orders`, {
    method: 'POST',
    headers: tagged({ 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) }),
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}

/** Every order of one customer, walking the list (the suite's instance holds only its own orders). */
async function ordersOf(customer) {
  const found = [];
  let cursor = '';
  for (let page = 0; page < 100; page += 1) {
    const response = await fetch(`${BASE_URL}/orders?limit=100${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, { headers: tagged() });
    assert.equal(response.status, 200, 'GET /orders answers 200');
    const body = await response.json();
    found.push(...body.data.filter((order) => order.customer_id === customer));
    if (!body.next_cursor) return found;
    cursor = body.next_cursor;
  }
  throw new Error('more than 100 pages of orders');
}

const order = (customer, quantity = 1) => ({ customer_id: customer, product_id: 'p-002', quantity });
const created = (status) => status === 200 || status === 201;

describe('idempotency', () => {
  beforeEach((t) => {
    current = t.name;
  });

  test('replay returns the same order', async () => {
    const key = randomUUID();
    const body = order(`c-${randomUUID()}`);
    const first = await post(body, key);
    assert.ok(created(first.status), `first POST answered ${first.status}: ${first.text.slice(0, 200)}`);
    const again = await post(body, key);
    assert.ok(created(again.status), `replay answered ${again.status}: ${again.text.slice(0, 200)}`);
    assert.equal(again.json?.id, first.json?.id, 'the replay names the same order');
  });

  test('replay creates no second order', async () => {
    const key = randomUUID();
    const customer = `c-${randomUUID()}`;
    await post(order(customer), key);
    await post(order(customer), key);
    await post(order(customer), key);
    assert.equal((await ordersOf(customer)).length, 1, 'three POSTs with one key leave one order');
  });

  test('same key with another body is refused', async () => {
    const key = randomUUID();
    const customer = `c-${randomUUID()}`;
    const first = await post(order(customer, 1), key);
    assert.ok(created(first.status), `first POST answered ${first.status}`);
    const conflicting = await post(order(customer, 5), key);
    assert.ok([409, 422].includes(conflicting.status), `a different body under the same key answered ${conflicting.status}, expected 409 or 422`);
    const orders = await ordersOf(customer);
    assert.equal(orders.length, 1, 'the refused request created nothing');
    assert.equal(orders[0]?.quantity, 1, 'the stored order is unchanged');
  });

  test('concurrent retries create one order', async () => {
    // Three bursts: whether retries overlap depends on scheduling, and a check-then-act race
    // that one burst misses, another catches.
    for (let burst = 1; burst <= 3; burst += 1) {
      const key = randomUUID();
      const customer = `c-${randomUUID()}`;
      const answers = await Promise.all(Array.from({ length: 10 }, () => post(order(customer), key)));
      const statuses = answers.map((answer) => answer.status);
      // The draft lets a server refuse a retry while the first is still in flight (409).
      assert.ok(statuses.every((status) => created(status) || status === 409), `burst ${burst} statuses: ${statuses.join(', ')}`);
      const ids = new Set(answers.filter((answer) => created(answer.status)).map((answer) => answer.json?.id));
      assert.equal(ids.size, 1, `burst ${burst}: successful answers name ${ids.size} different orders`);
      assert.equal((await ordersOf(customer)).length, 1, `burst ${burst}: ten concurrent POSTs with one key leave one order`);
    }
  });

  test('requests without a key are not deduplicated', async () => {
    const customer = `c-${randomUUID()}`;
    const a = await post(order(customer));
    const b = await post(order(customer));
    assert.ok(created(a.status) && created(b.status), `answered ${a.status} and ${b.status}`);
    assert.notEqual(a.json?.id, b.json?.id, 'two POSTs without a key are two orders');
  });

  test('different keys make different orders', async () => {
    const customer = `c-${randomUUID()}`;
    const a = await post(order(customer), randomUUID());
    const b = await post(order(customer), randomUUID());
    assert.ok(created(a.status) && created(b.status), `answered ${a.status} and ${b.status}`);
    assert.notEqual(a.json?.id, b.json?.id, 'each key has its own order');
  });
});
