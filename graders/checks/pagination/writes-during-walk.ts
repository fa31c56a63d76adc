import { fail, info, pass, type CheckDefinition } from '../../check.ts';
import { createItem, deleteItem, ensureItems } from './seed-items.ts';
import { styleOf } from './styles/style-of.ts';
import { idOf, tally, walkPages } from './walk-pages.ts';

export const writesDuringWalk: CheckDefinition = {
  id: 'pagination.writes-during-walk',
  area: 'pagination',
  tier: 'must',
  title: 'Creates and deletes between page requests neither skip nor repeat items',
  points: 10,
  standard: 'Assignment contract ("exactly once, even when items are created or deleted between page requests"); keyset pagination',
  accepted:
    'where the assignment demands stability (stableUnderWrites; the default for cursors): every item that existed for the whole walk appears exactly once, none twice. Otherwise (offset, page numbers) what happened is information, never a failure',
  instance: 'relaxed',
  isolation: { need: 'process', why: 'deletes and creates items mid-walk: later checks could not trust the record of what the instance holds' },
  notApplicable: (params) =>
    params.items.createBody === null
      ? 'the API has no create endpoint, so nothing can be written during a walk'
      : !params.items.delete
        ? 'the API has no delete endpoint (items.delete: false), so nothing can be deleted during a walk'
        : null,
  async run(ctx) {
    const { pageSize, stableUnderWrites, style } = ctx.params.pagination;
    const collection = await ensureItems(ctx, pageSize * 3 + 4);
    if (!collection.ok) return fail(`could not seed items: ${collection.message}`);
    const deleted = new Set<string>();
    let created = 0;
    const walk = await walkPages(ctx, pageSize, {
      between: async (pageNumber, page) => {
        if (pageNumber > 2) return null;
        // Delete an item already returned: a position-based pointer now skips one it has not shown.
        const victim = page.items[0] ? idOf(ctx, page.items[0]) : null;
        if (victim === null) return null;
        const problem = await deleteItem(ctx, victim);
        if (problem) return problem;
        deleted.add(victim);
        for (let i = 0; i < 3; i += 1) {
          const item = await createItem(ctx, 1000 + pageNumber * 10 + i);
          if (!item.ok) return item.message;
          created += 1;
        }
        return null;
      },
    });
    if (!walk.ok) return fail(walk.message);
    const throughout = collection.created.filter((id) => !deleted.has(id));
    const { duplicated, missing } = tally(walk.ids, throughout);
    const writes = `${deleted.size} deletes and ${created} creates between pages`;
    const shifted = [
      missing.length > 0 ? `${missing.length} items that existed for the whole walk were skipped (e.g. ${missing.slice(0, 3).join(', ')})` : '',
      duplicated.length > 0 ? `${duplicated.length} items appeared twice (e.g. ${duplicated.slice(0, 3).join(', ')})` : '',
    ].filter(Boolean);
    if (!stableUnderWrites) {
      const expected = styleOf(ctx).underWrites;
      return info(shifted.length > 0 ? `${shifted.join('; ')} after ${writes}: ${expected}` : `no item was skipped or repeated after ${writes} (${style} pagination, stability not demanded)`);
    }
    if (shifted.length > 0) return fail(`${shifted.join('; ')} after ${writes}: the pointer is position-based, so writes shift the pages`);
    return pass(`all ${throughout.length} items that existed throughout appeared once, with ${writes}`);
  },
};
