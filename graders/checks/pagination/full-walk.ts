import { fail, pass, type CheckDefinition } from '../../check.ts';
import { seedItems } from './seed-items.ts';
import { orderViolation, tally, walkPages } from './walk-pages.ts';

export const fullWalk: CheckDefinition = {
  id: 'pagination.full-walk',
  area: 'pagination',
  tier: 'must',
  title: 'Walking every page returns each item exactly once, in (created_at, id) order',
  points: 10,
  standard: 'Assignment contract ("every item … exactly once", "ordered by created_at, ties by id"); Google AIP-158',
  accepted: 'each seeded item on exactly one page; no id repeats; items ascending by created_at, equal timestamps ascending by id; a short or empty last page is fine',
  instance: 'relaxed',
  isolation: 'fresh',
  async run(ctx) {
    const { seedCount, pageSize } = ctx.params.pagination;
    const seeded = await seedItems(ctx, seedCount);
    if (!seeded.ok) return fail(`could not seed items: ${seeded.message}`);
    const walk = await walkPages(ctx, pageSize);
    if (!walk.ok) return fail(walk.message);
    const { duplicated, missing } = tally(walk.ids, seeded.ids);
    if (missing.length > 0) {
      return fail(`${missing.length} of ${seedCount} seeded items never appeared in ${walk.pages.length} pages (first missing: ${missing.slice(0, 3).join(', ')})`);
    }
    if (duplicated.length > 0) {
      return fail(`${duplicated.length} items appeared more than once across ${walk.pages.length} pages (e.g. ${duplicated.slice(0, 3).join(', ')})`);
    }
    const disorder = orderViolation(ctx, walk.pages.flatMap((page) => page.items));
    if (disorder) return fail(`every item appeared once, but out of order: ${disorder}`);
    return pass(`${walk.ids.length} items over ${walk.pages.length} pages of ${pageSize}, each once, in (created_at, id) order`);
  },
};
