import { fail, pass, type CheckDefinition } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';
import { ensureItems } from './seed-items.ts';
import { styleOf } from './styles/style-of.ts';
import { fetchPage, itemsOf, pagePath } from './walk-pages.ts';

export const limitBounds: CheckDefinition = {
  id: 'pagination.limit-bounds',
  area: 'pagination',
  tier: 'must',
  title: 'limit defaults correctly and out-of-range or malformed values are rejected',
  points: 10,
  standard: 'Assignment contract: "limit is an integer 1..100, default 20; anything else → 400"',
  accepted:
    'no limit → a page of the default size; 0, max+1, -1, abc, 10abc, 1.5 → 400 or a validation status (or, where the manifest allows it, a page clamped into 1..max, or the default page); an empty limit= → 400 or the default page; never 5xx, never the whole collection',
  instance: 'relaxed',
  isolation: { need: 'collection', why: 'needs more items than the maximum page size; counts only page sizes' },
  async run(ctx) {
    const { limitParam, defaultLimit, maxLimit, invalidLimit } = ctx.params.pagination;
    const total = Math.max(defaultLimit, maxLimit) + 5;
    const seeded = await ensureItems(ctx, total, 10);
    if (!seeded.ok) return fail(`could not seed items: ${seeded.message}`);
    const held = seeded.total;
    const problems: string[] = [];

    const dflt = await fetchPage(ctx, styleOf(ctx).first(ctx, null), `no ${limitParam}`);
    if (!dflt.ok) problems.push(dflt.message);
    else if (dflt.page.items.length !== Math.min(defaultLimit, held)) problems.push(`no ${limitParam} returned ${dflt.page.items.length} items, expected the default ${defaultLimit}`);

    const invalid = ['0', String(maxLimit + 1), '-1', 'abc', '10abc', '1.5', ''];
    for (const value of invalid) {
      const path = pagePath(ctx, { [limitParam]: value });
      const result = await ctx.http.send({ method: 'GET', path, note: `${limitParam}=${JSON.stringify(value)}` });
      if (!result.ok || result.status >= 500) {
        problems.push(`${limitParam}=${JSON.stringify(value)} answered ${describeResult(result)}`);
        continue;
      }
      if (result.status === 400 || ctx.params.errors.validationStatuses.includes(result.status)) continue;
      const listed = itemsOf(ctx, result.json());
      const count = Array.isArray(listed) ? listed.length : -1;
      if (result.status === 200 && value === '' && count === Math.min(defaultLimit, held)) continue;
      const numeric = value !== 'abc' && value !== '10abc';
      const clampAllowed = (invalidLimit === 'reject-or-clamp' || invalidLimit === 'reject-clamp-or-default') && numeric;
      if (result.status === 200 && clampAllowed && count >= 1 && count <= maxLimit) continue;
      if (result.status === 200 && invalidLimit === 'reject-clamp-or-default' && count === Math.min(defaultLimit, held)) continue;
      problems.push(
        count >= held && held > maxLimit
          ? `${limitParam}=${JSON.stringify(value)} answered ${result.status} with the whole collection (${count} items)`
          : `${limitParam}=${JSON.stringify(value)} answered ${result.status}${count >= 0 ? ` with ${count} items` : ''}, expected 400`,
      );
    }
    if (problems.length > 0) return fail(problems.join('; '));
    const how = invalidLimit === 'reject' ? 'rejected' : invalidLimit === 'reject-or-clamp' ? 'rejected or clamped' : 'rejected, clamped or served the default page';
    return pass(`default page of ${defaultLimit}; ${invalid.map((v) => JSON.stringify(v)).join(', ')} all ${how}`);
  },
};
