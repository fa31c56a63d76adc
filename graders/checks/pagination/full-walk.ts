import { fail, pass, type CheckDefinition } from '../../check.ts';
import { ensureItems } from './seed-items.ts';
import { orderText, orderViolation, tally, walkPages } from './walk-pages.ts';

export const fullWalk: CheckDefinition = {
  id: 'pagination.full-walk',
  area: 'pagination',
  tier: 'must',
  title: 'Walking every page returns each item exactly once, in the declared order',
  points: 10,
  standard: 'Assignment contract ("every item … exactly once", in its declared order); Google AIP-158; RFC 8288 for Link walks',
  accepted: 'walking as a client of the declared style (cursor, offset, page number or Link rel="next"): every item on exactly one page, none repeated, in the declared order; a short or empty last page is fine',
  instance: 'relaxed',
  isolation: { need: 'collection', why: 'judges the walk against every item the instance holds, which the tracked collection records' },
  async run(ctx) {
    const { seedCount, pageSize, style } = ctx.params.pagination;
    const collection = await ensureItems(ctx, seedCount);
    if (!collection.ok) return fail(`could not seed items: ${collection.message}`);
    const walk = await walkPages(ctx, pageSize);
    if (!walk.ok) return fail(walk.message);
    const { duplicated, missing } = tally(walk.ids, collection.created);
    if (missing.length > 0) {
      return fail(`${missing.length} of ${collection.created.length} created items never appeared in ${walk.pages.length} pages (first missing: ${missing.slice(0, 3).join(', ')})`);
    }
    if (duplicated.length > 0) {
      return fail(`${duplicated.length} items appeared more than once across ${walk.pages.length} pages (e.g. ${duplicated.slice(0, 3).join(', ')}): pages overlap`);
    }
    if (walk.ids.length !== collection.total) {
      return fail(`the walk returned ${walk.ids.length} items in ${walk.pages.length} pages, but the collection holds ${collection.total}`);
    }
    const disorder = orderViolation(ctx, walk.pages.flatMap((page) => page.items));
    if (disorder) return fail(`every item appeared once, but out of order: ${disorder}`);
    return pass(`${walk.ids.length} items over ${walk.pages.length} pages of ${pageSize} (${style} pagination), each once, in ${orderText(ctx)} order`);
  },
};
