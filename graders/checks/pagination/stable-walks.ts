import { fail, pass, type CheckDefinition } from '../../check.ts';
import { seedItems } from './seed-items.ts';
import { walkPages } from './walk-pages.ts';

export const stableWalks: CheckDefinition = {
  id: 'pagination.stable-walks',
  area: 'pagination',
  tier: 'signal',
  title: 'Two walks with no writes in between return identical pages',
  points: 2,
  standard: 'Google AIP-158 (page tokens yield a consistent view); deterministic ordering',
  accepted: 'the same ids on the same pages in the same order, twice',
  instance: 'relaxed',
  isolation: 'fresh',
  async run(ctx) {
    const { pageSize } = ctx.params.pagination;
    const { idField } = ctx.params.items;
    const seeded = await seedItems(ctx, pageSize * 2 + 5);
    if (!seeded.ok) return fail(`could not seed items: ${seeded.message}`);
    const shape = (pages: Array<{ items: Array<Record<string, unknown>> }>) => pages.map((page) => page.items.map((item) => String(item[idField])).join(',')).join(' | ');
    const a = await walkPages(ctx, pageSize);
    const b = await walkPages(ctx, pageSize);
    if (!a.ok || !b.ok) return fail((!a.ok ? a : (b as { message: string })).message);
    if (shape(a.pages) !== shape(b.pages)) return fail('two walks without writes returned different pages');
    return pass(`two walks returned the same ${a.pages.length} pages`);
  },
};
