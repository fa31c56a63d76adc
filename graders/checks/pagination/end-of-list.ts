import { fail, pass, type CheckDefinition } from '../../check.ts';
import { seedItems } from './seed-items.ts';
import { walkPages } from './walk-pages.ts';

export const endOfList: CheckDefinition = {
  id: 'pagination.end-of-list',
  area: 'pagination',
  tier: 'must',
  title: 'A total that divides evenly into pages ends cleanly',
  points: 5,
  standard: 'Assignment contract: "next_cursor is null on the last page"',
  accepted: 'with exactly 2 × limit items: two full pages, then the end (a null/absent next on page 2, or one empty page with a null next); never an error',
  instance: 'relaxed',
  isolation: 'fresh',
  async run(ctx) {
    const { pageSize } = ctx.params.pagination;
    const seeded = await seedItems(ctx, 2 * pageSize);
    if (!seeded.ok) return fail(`could not seed items: ${seeded.message}`);
    const walk = await walkPages(ctx, pageSize);
    if (!walk.ok) return fail(walk.message);
    const sizes = walk.pages.map((page) => page.items.length);
    const clean = sizes.join() === `${pageSize},${pageSize}` || sizes.join() === `${pageSize},${pageSize},0`;
    if (!clean) return fail(`${2 * pageSize} items in pages of ${pageSize} came back as pages of [${sizes.join(', ')}]`);
    return pass(`pages of [${sizes.join(', ')}], then a null next pointer`);
  },
};
