import { fail, pass, type CheckDefinition } from '../../check.ts';
import { ensureItems } from './seed-items.ts';
import { walkPages } from './walk-pages.ts';

export const pageSize: CheckDefinition = {
  id: 'pagination.page-size',
  area: 'pagination',
  tier: 'must',
  title: 'Every page of a walk holds exactly the requested number of items, except the last',
  points: 5,
  standard: 'Assignment contract (the limit parameter sets the page size); what a client following the next pointer relies on',
  accepted: 'each page before the last has exactly the requested size, also after following next pointers/links; the last has at most that many',
  instance: 'relaxed',
  isolation: { need: 'collection', why: 'needs enough items for two pages; counts only page sizes' },
  async run(ctx) {
    const { pageSize: size, limitParam } = ctx.params.pagination;
    const collection = await ensureItems(ctx, size * 2 + 3);
    if (!collection.ok) return fail(`could not seed items: ${collection.message}`);
    if (collection.total <= size) return { status: 'skip', message: `only ${collection.total} items: nothing to page at ${limitParam}=${size}` };
    const walk = await walkPages(ctx, size, { strictSize: false });
    const sizes = walk.pages.map((page) => page.items.length);
    const wrong = sizes.findIndex((count, i) => count > size || (i < sizes.length - 1 && count !== size));
    if (wrong >= 0) {
      return fail(`at ${limitParam}=${size}, page ${wrong + 1} of the walk held ${sizes[wrong]} items (pages: [${sizes.join(', ')}]; requested: ${walk.pages[wrong]?.path})`);
    }
    if (!walk.ok) return fail(walk.message);
    return pass(`pages of [${sizes.join(', ')}] at ${limitParam}=${size}`);
  },
};
