import { fail, pass, type CheckDefinition } from '../../check.ts';
import { ensureItems } from './seed-items.ts';
import { walkPages } from './walk-pages.ts';

/** A page size that divides `total` into at least two full pages, or null. */
export function evenSize(total: number, preferred: number, maxLimit: number): number | null {
  if (total === 2 * preferred) return preferred;
  for (let size = Math.min(maxLimit, Math.floor(total / 2)); size >= 1; size -= 1) if (total % size === 0) return size;
  return null;
}

export const endOfList: CheckDefinition = {
  id: 'pagination.end-of-list',
  area: 'pagination',
  tier: 'must',
  title: 'A total that divides evenly into pages ends cleanly',
  points: 5,
  standard: 'Assignment contract: the last page says it is the last (no next pointer or link, or a short or empty page)',
  accepted: 'with exactly 2 × limit items: two full pages, then the end (no next on page 2, or one empty page with none); never an error or a loop',
  instance: 'relaxed',
  isolation: { need: 'collection', why: 'tops the collection up to a multiple of the page size, then judges the end of that walk' },
  async run(ctx) {
    const { pageSize: preferred, maxLimit, limitParam } = ctx.params.pagination;
    // A multiple of the page size, whatever earlier checks on the instance left, so the walk ends on a full page.
    const collection = await ensureItems(ctx, 2 * preferred, 8, preferred);
    if (!collection.ok) return fail(`could not seed items: ${collection.message}`);
    const size = evenSize(collection.total, preferred, maxLimit);
    if (size === null) return { status: 'skip', message: `${collection.total} items do not divide into two or more full pages` };
    const walk = await walkPages(ctx, size);
    if (!walk.ok) return fail(walk.message);
    const full = collection.total / size;
    const sizes = walk.pages.map((page) => page.items.length);
    const exact = sizes.length === full && sizes.every((count) => count === size);
    const trailingEmpty = sizes.length === full + 1 && sizes.slice(0, full).every((count) => count === size) && sizes[full] === 0;
    if (!exact && !trailingEmpty) return fail(`${collection.total} items at ${limitParam}=${size} came back as pages of [${sizes.join(', ')}]`);
    return pass(`pages of [${sizes.join(', ')}] at ${limitParam}=${size}, then the end`);
  },
};
