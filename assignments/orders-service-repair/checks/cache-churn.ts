// Key churn for the product cache: thousands of distinct request URLs for a handful of
// products. The check itself only asks that every answer is right; the harness reads the
// server's memory meanwhile, and resources.peak-memory (memory.during in assignment.yaml)
// judges it. Only types are imported, so the file bundles into the prober on its own.
import type { CheckDefinition } from '../../../graders/check.ts';

const REQUESTS = 25_000;
const CONCURRENCY = 16;

export const cacheChurn: CheckDefinition = {
  id: 'orders.cache-churn',
  area: 'resources',
  tier: 'must',
  title: 'GET /products/:id answers correctly across 25,000 distinct URLs',
  points: 2,
  standard: 'Assignment brief ("product pages are cached; the cache must stay bounded"); RFC 9110 §4.2.3 (query strings are part of the URI)',
  accepted: 'known products answer 200 with their id, unknown ids 404, for every one of the requests (at most 0.5% transport errors)',
  instance: 'relaxed',
  // Its memory figure must be the churn's alone, not what other checks left on the heap.
  isolation: { need: 'process', why: 'the memory ceiling is judged on what this churn alone leaves on the heap' },
  async run({ http, nonce, signal }) {
    let wrong = 0;
    let errors = 0;
    let firstWrong = '';
    let next = 0;
    const worker = async () => {
      while (next < REQUESTS && !signal.aborted) {
        const n = next++;
        const known = n % 5 !== 0;
        const id = known ? `p-${String((n % 50) + 1).padStart(3, '0')}` : `zz-${nonce}-${n}`;
        // The first few go into the evidence; the rest would only repeat them.
        const result = await http.send({ method: 'GET', path: `/products/${id}?ref=${nonce}-${n}`, record: n < 5, timeoutMs: 10_000 });
        if (!result.ok) {
          errors += 1;
          continue;
        }
        const body = result.json() as { id?: unknown } | undefined;
        const right = known ? result.status === 200 && body?.id === id : result.status === 404;
        if (!right) {
          wrong += 1;
          firstWrong ||= `GET /products/${id}?ref=… answered ${result.status}`;
        }
      }
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
    http.note(`${REQUESTS} requests over ${CONCURRENCY} connections: ${wrong} wrong answers, ${errors} transport errors`);
    if (wrong > 0) return { status: 'fail', message: `${wrong} of ${REQUESTS} answers were wrong; first: ${firstWrong}` };
    if (errors > REQUESTS * 0.005) return { status: 'fail', message: `${errors} of ${REQUESTS} requests failed in transport` };
    return { status: 'pass', message: `${REQUESTS} distinct URLs answered correctly (${errors} transport errors)` };
  },
};
