// The product catalogue. It stands for a remote service: every call costs one network
// round trip (simulated below). Do not change this file; change how the service uses it.
import { setTimeout as sleep } from 'node:timers/promises';

const ROUND_TRIP_MS = 5;

const WORDS = 'sturdy light recycled steel oak linen matte glazed compact modular'.split(' ');
const PRODUCTS = new Map();
for (let n = 1; n <= 50; n += 1) {
  const id = `p-${String(n).padStart(3, '0')}`;
  const word = WORDS[n % WORDS.length];
  PRODUCTS.set(id, {
    id,
    name: `${word} thing ${n}`,
    price_cents: 100 * n + 99,
    // Product pages carry long descriptions; clients show them, so responses carry them.
    description: `A ${word} thing, number ${n}. `.repeat(160),
  });
}

/** One product, or null when the catalogue has no such id. One round trip. */
export async function getProduct(id) {
  await sleep(ROUND_TRIP_MS);
  return PRODUCTS.get(id) ?? null;
}

/** Many products in one round trip: a Map from id to product, unknown ids left out. */
export async function getProducts(ids) {
  await sleep(ROUND_TRIP_MS);
  const found = new Map();
  for (const id of ids) if (PRODUCTS.has(id)) found.set(id, PRODUCTS.get(id));
  return found;
}
