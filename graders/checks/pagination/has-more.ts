import { readPath } from '../../../core/field-path.ts';
import { fail, pass, type CheckDefinition } from '../../check.ts';
import { ensureItems } from './seed-items.ts';
import { walkPages } from './walk-pages.ts';

export const hasMore: CheckDefinition = {
  id: 'pagination.has-more',
  area: 'pagination',
  tier: 'must',
  title: 'The has-more flag is true exactly when items follow',
  points: 3,
  standard: 'Assignment contract (e.g. Stripe\'s has_more: whether more items are available after this page)',
  accepted: 'a boolean on every page: true on each page some item follows, false on the page after which none does',
  instance: 'relaxed',
  isolation: { need: 'collection', why: 'compares the more-flag with where the walk ends; any number of items will do' },
  notApplicable: (params) => (params.pagination.hasMoreField === undefined ? 'the assignment declares no has-more field' : null),
  async run(ctx) {
    const { pageSize, hasMoreField } = ctx.params.pagination;
    if (hasMoreField === undefined) return { status: 'skip', message: 'no has-more field declared' };
    const collection = await ensureItems(ctx, pageSize * 2 + 3);
    if (!collection.ok) return fail(`could not seed items: ${collection.message}`);
    const walk = await walkPages(ctx, pageSize);
    if (!walk.ok) return fail(walk.message);
    for (const [index, page] of walk.pages.entries()) {
      const flag = readPath(page.response.json(), hasMoreField);
      const follows = walk.pages.slice(index + 1).some((later) => later.items.length > 0);
      if (typeof flag !== 'boolean') return fail(`page ${index + 1} has ${hasMoreField} ${JSON.stringify(flag)}, expected a boolean`);
      if (flag !== follows) return fail(`page ${index + 1} of ${walk.pages.length} says ${hasMoreField}: ${flag}, but ${follows ? 'items follow it' : 'no item follows it'}`);
    }
    return pass(`${hasMoreField} was right on all ${walk.pages.length} pages`);
  },
};
