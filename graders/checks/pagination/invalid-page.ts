import { fail, pass, type CheckDefinition } from '../../check.ts';
import { onlyFor } from './applies.ts';
import { probeInvalidPositions } from './positions.ts';
import { ensureItems } from './seed-items.ts';
import { pageNumberPath, pageParams } from './styles/page-style.ts';
import { fetchPage } from './walk-pages.ts';

export const invalidPage: CheckDefinition = {
  id: 'pagination.invalid-page',
  area: 'pagination',
  tier: 'must',
  title: 'A page number below the first, negative or non-numeric is refused, never a 5xx',
  points: 5,
  standard: 'Assignment contract (pages count from the declared first page); RFC 9110 §15.5.1 (400 for a malformed request)',
  accepted: 'the page before the first, -1, abc and 1.5 → 400 (or errors.validationStatuses); with invalidPosition: reject-or-ignore, also a 200 serving the first page; never 5xx',
  instance: 'relaxed',
  isolation: { need: 'collection', why: 'sends invalid page numbers; needs only some items to page through' },
  notApplicable: onlyFor('page'),
  async run(ctx) {
    const { pageParam, pageSize, firstPage, invalidPosition } = pageParams(ctx);
    const collection = await ensureItems(ctx, pageSize * 2 + 3);
    if (!collection.ok) return fail(`could not seed items: ${collection.message}`);
    const first = await fetchPage(ctx, pageNumberPath(ctx, firstPage, pageSize), 'the first page');
    if (!first.ok) return fail(first.message);
    const values = [...new Set([String(firstPage - 1), '-1', 'abc', '1.5'])];
    const cases = values.map((value) => ({ label: `${pageParam}=${value}${value === String(firstPage - 1) ? ` (pages start at ${firstPage})` : ''}`, path: pageNumberPath(ctx, value, pageSize) }));
    const problems = await probeInvalidPositions(ctx, cases, invalidPosition, first.page.items);
    if (problems.length > 0) return fail(problems.join('; '));
    return pass(`${values.map((value) => `${pageParam}=${value}`).join(', ')} were all refused${invalidPosition === 'reject-or-ignore' ? ' or served the first page' : ''}`);
  },
};
