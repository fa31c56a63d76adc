import { fail, pass, type CheckDefinition } from '../../check.ts';
import { onlyFor } from './applies.ts';
import { sameIds } from './positions.ts';
import { ensureItems } from './seed-items.ts';
import { pageNumberPath, pageParams } from './styles/page-style.ts';
import { fetchPage, idOf, pagePath } from './walk-pages.ts';

export const firstPage: CheckDefinition = {
  id: 'pagination.first-page',
  area: 'pagination',
  tier: 'must',
  title: 'Pages are numbered from the declared first page',
  points: 5,
  standard: 'Assignment contract (pages are numbered from 1, or from 0 where declared)',
  accepted: 'page=<firstPage> serves the same items as no page parameter, and page=<firstPage + 1> the items after them',
  instance: 'relaxed',
  isolation: { need: 'collection', why: 'compares two requests for the first page with each other; any items will do' },
  notApplicable: onlyFor('page'),
  async run(ctx) {
    const { pageParam, limitParam, pageSize, firstPage: base } = pageParams(ctx);
    const collection = await ensureItems(ctx, pageSize * 2 + 3);
    if (!collection.ok) return fail(`could not seed items: ${collection.message}`);
    const unnumbered = await fetchPage(ctx, pagePath(ctx, { [limitParam]: String(pageSize) }), `no ${pageParam} parameter`);
    if (!unnumbered.ok) return fail(unnumbered.message);
    const numbered = await fetchPage(ctx, pageNumberPath(ctx, base, pageSize), `${pageParam}=${base}, the declared first page`);
    if (!numbered.ok) return fail(numbered.message);
    const ids = (items: typeof numbered.page.items) => items.slice(0, 4).map((item) => idOf(ctx, item)).join(', ');
    if (!sameIds(ctx, numbered.page.items, unnumbered.page.items)) {
      return fail(`${pageParam}=${base} served [${ids(numbered.page.items)}…] but the first page (no ${pageParam}) is [${ids(unnumbered.page.items)}…]: pages are not numbered from ${base}`);
    }
    const second = await fetchPage(ctx, pageNumberPath(ctx, base + 1, pageSize), `${pageParam}=${base + 1}`);
    if (!second.ok) return fail(second.message);
    const firstIds = new Set(numbered.page.items.map((item) => idOf(ctx, item)));
    if (second.page.items.length === 0 || second.page.items.some((item) => firstIds.has(idOf(ctx, item)))) {
      return fail(`${pageParam}=${base + 1} served [${ids(second.page.items)}], not the items after the first page`);
    }
    return pass(`${pageParam}=${base} is the first page and ${pageParam}=${base + 1} the next`);
  },
};
