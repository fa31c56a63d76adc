import { fail, pass, type CheckDefinition } from '../../check.ts';
import { fetchPage, pagePath } from './walk-pages.ts';

export const emptyCollection: CheckDefinition = {
  id: 'pagination.empty-collection',
  area: 'pagination',
  tier: 'must',
  title: 'An empty collection lists as 200 with no items and no next page',
  points: 3,
  standard: 'Assignment contract; RFC 9110 §15.3.1 (an empty list is still a successful 200)',
  accepted: '200 with an empty data array and a null/absent next pointer (not 404, not 204)',
  instance: 'relaxed',
  isolation: 'fresh',
  async run(ctx) {
    const fetched = await fetchPage(ctx, pagePath(ctx, {}), 'the list before any item exists');
    if (!fetched.ok) return fail(fetched.message);
    if (fetched.page.items.length > 0) return fail(`a fresh server listed ${fetched.page.items.length} items`);
    if (fetched.page.next !== null) return fail(`an empty list handed out a next pointer: ${fetched.page.next}`);
    return pass('200 with an empty list and no next pointer');
  },
};
