import { fail, pass, type CheckDefinition } from '../../check.ts';
import { seedItems } from './seed-items.ts';
import { walkPages } from './walk-pages.ts';

export const fullWalk: CheckDefinition = {
  id: 'pagination.full-walk',
  area: 'pagination',
  tier: 'must',
  title: 'Walking every page returns each item exactly once and ends',
  points: 10,
  standard: 'Assignment contract: "Walking all pages returns every item … exactly once"; Google AIP-158',
  accepted: 'each seeded item appears on exactly one page; no id repeats; the last page has a null/absent next pointer; a short or empty last page is fine',
  instance: 'relaxed',
  async run(ctx) {
    const { seedCount, pageSize } = ctx.params.pagination;
    const seeded = await seedItems(ctx, seedCount);
    if (!seeded.ok) return fail(`could not seed items: ${seeded.message}`);
    const walk = await walkPages(ctx, pageSize);
    if (!walk.ok) return fail(walk.message);
    const counts = new Map<string, number>();
    for (const id of walk.ids) counts.set(id, (counts.get(id) ?? 0) + 1);
    const duplicated = [...counts].filter(([, count]) => count > 1).map(([id]) => id);
    const missing = seeded.ids.filter((id) => !counts.has(id));
    if (missing.length > 0) {
      return fail(`${missing.length} of ${seedCount} seeded items never appeared in ${walk.pages.length} pages (first missing: ${missing.slice(0, 3).join(', ')})`);
    }
    if (duplicated.length > 0) {
      return fail(`${duplicated.length} items appeared more than once across ${walk.pages.length} pages (e.g. ${duplicated.slice(0, 3).join(', ')})`);
    }
    return pass(`${walk.ids.length} items over ${walk.pages.length} pages of ${pageSize}; all ${seedCount} seeded items exactly once`);
  },
};
