import { fail, pass, type CheckDefinition } from '../../check.ts';
import { createItem, deleteItem, seedItems } from './seed-items.ts';
import { tally, walkPages } from './walk-pages.ts';

export const writesDuringWalk: CheckDefinition = {
  id: 'pagination.writes-during-walk',
  area: 'pagination',
  tier: 'must',
  title: 'Creates and deletes between page requests neither skip nor repeat items',
  points: 10,
  standard: 'Assignment contract ("exactly once, even when items are created or deleted between page requests"); keyset pagination',
  accepted: 'every item that existed for the whole walk appears exactly once; no id appears twice',
  instance: 'relaxed',
  isolation: 'fresh',
  async run(ctx) {
    const { pageSize } = ctx.params.pagination;
    const { idField } = ctx.params.items;
    const seeded = await seedItems(ctx, pageSize * 3 + 4);
    if (!seeded.ok) return fail(`could not seed items: ${seeded.message}`);
    const deleted = new Set<string>();
    let created = 0;
    const walk = await walkPages(ctx, pageSize, async (pageNumber, page) => {
      if (pageNumber > 2) return null;
      // Delete an item already returned: an offset cursor now skips one it has not shown.
      const victim = String(page.items[0]?.[idField]);
      const problem = await deleteItem(ctx, victim);
      if (problem) return problem;
      deleted.add(victim);
      for (let i = 0; i < 3; i += 1) {
        const item = await createItem(ctx, 1000 + pageNumber * 10 + i);
        if (!item.ok) return item.message;
        created += 1;
      }
      return null;
    });
    if (!walk.ok) return fail(walk.message);
    const throughout = seeded.ids.filter((id) => !deleted.has(id));
    const { duplicated, missing } = tally(walk.ids, throughout);
    if (missing.length > 0) {
      return fail(`${missing.length} items that existed for the whole walk were skipped (e.g. ${missing.slice(0, 3).join(', ')}) after ${deleted.size} deletes and ${created} creates between pages: the cursor is position-based`);
    }
    if (duplicated.length > 0) return fail(`${duplicated.length} items appeared twice after writes between pages (e.g. ${duplicated.slice(0, 3).join(', ')})`);
    return pass(`all ${throughout.length} items that existed throughout appeared once, with ${deleted.size} deletes and ${created} creates between pages`);
  },
};
