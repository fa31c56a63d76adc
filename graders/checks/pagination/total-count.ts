import { readPath } from '../../../core/field-path.ts';
import { fail, pass, type CheckDefinition } from '../../check.ts';
import { ensureItems } from './seed-items.ts';
import { walkPages } from './walk-pages.ts';

export const totalCount: CheckDefinition = {
  id: 'pagination.total-count',
  area: 'pagination',
  tier: 'must',
  title: 'The reported total (and page count) matches what a walk returns',
  points: 5,
  standard: 'Assignment contract (the response reports the size of the whole collection)',
  accepted: 'on every page, the total field equals the number of items a full walk returns, and the page-count field equals ⌈total ÷ page size⌉',
  instance: 'relaxed',
  isolation: { need: 'collection', why: 'compares the reported total with a walk of the same instance; both see the same items' },
  notApplicable: (params) =>
    params.pagination.totalField === undefined && params.pagination.pageCountField === undefined ? 'the assignment declares no total or page-count field' : null,
  async run(ctx) {
    const { pageSize, seedCount, totalField, pageCountField } = ctx.params.pagination;
    const collection = await ensureItems(ctx, seedCount);
    if (!collection.ok) return fail(`could not seed items: ${collection.message}`);
    const walk = await walkPages(ctx, pageSize);
    if (!walk.ok) return fail(walk.message);
    const count = walk.ids.length;
    const pages = Math.ceil(count / pageSize);
    for (const [index, page] of walk.pages.entries()) {
      const body = page.response.json();
      if (totalField !== undefined) {
        const total = readPath(body, totalField);
        if (total !== count) return fail(`page ${index + 1} reports ${totalField} ${JSON.stringify(total)}, but the walk returned ${count} items`);
      }
      if (pageCountField !== undefined) {
        const reported = readPath(body, pageCountField);
        if (reported !== pages) return fail(`page ${index + 1} reports ${pageCountField} ${JSON.stringify(reported)}, but ${count} items at ${pageSize} per page make ${pages} pages`);
      }
    }
    return pass(`every page reported ${[totalField !== undefined ? `${totalField} ${count}` : '', pageCountField !== undefined ? `${pageCountField} ${pages}` : ''].filter(Boolean).join(' and ')}, matching the walk`);
  },
};
