import { fail, pass, type CheckDefinition } from '../../check.ts';
import { onlyFor } from './applies.ts';
import { probeInvalidPositions } from './positions.ts';
import { ensureItems } from './seed-items.ts';
import { offsetParams } from './styles/offset-style.ts';
import { fetchPage, pagePath } from './walk-pages.ts';

export const invalidOffset: CheckDefinition = {
  id: 'pagination.invalid-offset',
  area: 'pagination',
  tier: 'must',
  title: 'A negative or non-numeric offset is refused, never a 5xx or a slice from the end',
  points: 5,
  standard: 'Assignment contract (offset is a non-negative integer); RFC 9110 §15.5.1 (400 for a malformed request)',
  accepted: 'offset -1, abc, 1.5 and 10abc → 400 (or errors.validationStatuses); with invalidPosition: reject-or-ignore, also a 200 serving the first page; never 5xx',
  instance: 'relaxed',
  isolation: { need: 'collection', why: 'sends invalid offsets; needs only some items to page through' },
  notApplicable: onlyFor('offset'),
  async run(ctx) {
    const { offsetParam, limitParam, pageSize, invalidPosition } = offsetParams(ctx);
    const collection = await ensureItems(ctx, pageSize * 2 + 3);
    if (!collection.ok) return fail(`could not seed items: ${collection.message}`);
    const first = await fetchPage(ctx, pagePath(ctx, { [limitParam]: String(pageSize) }), 'page 1');
    if (!first.ok) return fail(first.message);
    const values = ['-1', 'abc', '1.5', '10abc'];
    const cases = values.map((value) => ({ label: `${offsetParam}=${value}`, path: pagePath(ctx, { [limitParam]: String(pageSize), [offsetParam]: value }) }));
    const problems = await probeInvalidPositions(ctx, cases, invalidPosition, first.page.items);
    if (problems.length > 0) return fail(problems.join('; '));
    return pass(`${values.map((value) => `${offsetParam}=${value}`).join(', ')} were all refused${invalidPosition === 'reject-or-ignore' ? ' or served the first page' : ''}`);
  },
};
