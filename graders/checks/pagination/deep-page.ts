import { fail, pass, type CheckDefinition } from '../../check.ts';
import { ensureItems } from './seed-items.ts';
import { walkPages } from './walk-pages.ts';

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;

export const deepPage: CheckDefinition = {
  id: 'pagination.deep-page',
  area: 'pagination',
  tier: 'signal',
  title: 'A deep page is not much slower than the first (information, not scored)',
  points: 0,
  standard: 'Information for the reviewer: keyset pagination is O(page), offset scans are O(offset)',
  accepted: 'any; reports the per-page latencies seen during a walk of 500 items (or those the server starts with)',
  instance: 'relaxed',
  isolation: { need: 'process', why: 'seeds 500 items: alone it runs beside the others instead of lengthening every later walk on a shared instance' },
  async run(ctx) {
    const collection = await ensureItems(ctx, 500, 25);
    if (!collection.ok) return fail(`could not seed items: ${collection.message}`);
    const walk = await walkPages(ctx, 10);
    if (!walk.ok) return fail(walk.message);
    const times = walk.pages.map((page) => page.response.durationMs);
    const head = median(times.slice(0, 5));
    const tail = median(times.slice(-5));
    return pass(`${walk.pages.length} pages: median of the first five ${head.toFixed(1)} ms, of the last five ${tail.toFixed(1)} ms (×${(tail / Math.max(head, 0.1)).toFixed(1)})`);
  },
};
