import { fail, pass, type CheckDefinition } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';
import { onlyFor } from './applies.ts';
import { ensureItems } from './seed-items.ts';
import { pageNumberPath } from './styles/page-style.ts';
import { itemsOf, pagePath } from './walk-pages.ts';

export const pastEnd: CheckDefinition = {
  id: 'pagination.past-end',
  area: 'pagination',
  tier: 'must',
  title: 'A position past the last item answers an empty page, not an error',
  points: 3,
  standard: 'Assignment contract; RFC 9110 §15.3.1 (an empty page is still a successful 200)',
  accepted: '200 with an empty items array; with pastEnd: empty-or-404, also 404',
  instance: 'relaxed',
  isolation: { need: 'collection', why: 'asks past the tracked total; extra items from earlier checks only move that point' },
  notApplicable: onlyFor('offset', 'page'),
  async run(ctx) {
    const { pagination } = ctx.params;
    if (pagination.style !== 'offset' && pagination.style !== 'page') return { status: 'skip', message: 'not an offset or page style' };
    const { pageSize, limitParam } = pagination;
    const collection = await ensureItems(ctx, pageSize + 3);
    if (!collection.ok) return fail(`could not seed items: ${collection.message}`);
    const path =
      pagination.style === 'offset'
        ? pagePath(ctx, { [limitParam]: String(pageSize), [pagination.offsetParam]: String(collection.total + 10) })
        : pageNumberPath(ctx, pagination.firstPage + Math.ceil(collection.total / pageSize) + 2, pageSize);
    const result = await ctx.http.send({ method: 'GET', path, note: `past the last of ${collection.total} items` });
    if (result.ok && result.status === 404 && pagination.pastEnd === 'empty-or-404') return pass(`past the end answered 404, which the assignment accepts`);
    if (!result.ok || result.status !== 200) return fail(`GET ${path}, past the last of ${collection.total} items, answered ${describeResult(result)}, expected 200 with no items${pagination.pastEnd === 'empty-or-404' ? ' (or 404)' : ''}`);
    const items = itemsOf(ctx, result.json());
    if (!Array.isArray(items)) return fail(`past the end: ${items.error}`);
    if (items.length > 0) return fail(`GET ${path}, past the last of ${collection.total} items, served ${items.length} items`);
    return pass('past the end answered 200 with no items');
  },
};
