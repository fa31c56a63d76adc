import { fail, pass, type CheckDefinition } from '../../check.ts';
import { ensureItems } from './seed-items.ts';
import { idOf, walkPages, type Page } from './walk-pages.ts';

export const stableWalks: CheckDefinition = {
  id: 'pagination.stable-walks',
  area: 'pagination',
  tier: 'signal',
  title: 'Two walks with no writes in between return identical pages',
  points: 2,
  standard: 'Google AIP-158 (page tokens yield a consistent view); deterministic ordering',
  accepted: 'the same ids on the same pages in the same order, twice',
  instance: 'relaxed',
  isolation: { need: 'collection', why: 'compares two walks of the same items with each other, without writes between them' },
  async run(ctx) {
    const { pageSize } = ctx.params.pagination;
    const collection = await ensureItems(ctx, pageSize * 2 + 5);
    if (!collection.ok) return fail(`could not seed items: ${collection.message}`);
    const shape = (pages: Page[]) => pages.map((page) => page.items.map((item) => idOf(ctx, item)).join(',')).join(' | ');
    const a = await walkPages(ctx, pageSize);
    if (!a.ok) return fail(a.message);
    const b = await walkPages(ctx, pageSize);
    if (!b.ok) return fail(b.message);
    if (shape(a.pages) !== shape(b.pages)) return fail('two walks without writes returned different pages');
    return pass(`two walks returned the same ${a.pages.length} pages`);
  },
};
