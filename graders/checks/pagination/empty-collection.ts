import { fail, pass, type CheckDefinition } from '../../check.ts';
import { styleOf } from './styles/style-of.ts';
import { fetchPage } from './walk-pages.ts';

export const emptyCollection: CheckDefinition = {
  id: 'pagination.empty-collection',
  area: 'pagination',
  tier: 'must',
  title: 'An empty collection lists as 200 with no items and no next page',
  points: 3,
  standard: 'Assignment contract; RFC 9110 §15.3.1 (an empty list is still a successful 200)',
  accepted: '200 with an empty items array and no next pointer or link (not 404, not 204)',
  instance: 'relaxed',
  isolation: { need: 'process', why: 'needs a store with nothing created in it' },
  notApplicable: (params) => (params.items.seeded > 0 ? `the server starts with ${params.items.seeded} items (items.seeded), so its collection is never empty` : null),
  async run(ctx) {
    const style = styleOf(ctx);
    const fetched = await fetchPage(ctx, style.first(ctx, null), 'the list before any item exists');
    if (!fetched.ok) return fail(fetched.message);
    if (fetched.page.items.length > 0) return fail(`a fresh server listed ${fetched.page.items.length} items`);
    const next = style.next(ctx, fetched.page, ctx.params.pagination.defaultLimit);
    if (next !== null && !('error' in next)) return fail(`an empty list pointed to a next page: ${next.pointer}`);
    return pass('200 with an empty list and no next page');
  },
};
