import { fail, pass, type CheckDefinition } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';
import { onlyFor } from './applies.ts';
import { ensureItems } from './seed-items.ts';
import { cursorParams, nextPointer } from './styles/cursor-style.ts';
import { sameIds } from './positions.ts';
import { fetchPage, itemsOf, pagePath } from './walk-pages.ts';


export const invalidCursor: CheckDefinition = {
  id: 'pagination.invalid-cursor',
  area: 'pagination',
  tier: 'must',
  title: 'An invalid cursor is a 4xx, never a 5xx or a silent restart from page 1',
  points: 10,
  standard: 'Assignment contract: "cursor is opaque; invalid → 400"; RFC 9110 §15.5.1',
  accepted: 'junk and wrong-shape cursors → 4xx; a truncated real cursor → 4xx, or a 200 that is not page 1 again',
  instance: 'relaxed',
  isolation: { need: 'collection', why: 'sends invalid cursors; needs only some items to page through' },
  notApplicable: onlyFor('cursor'),
  async run(ctx) {
    const { limitParam, cursorParam, pageSize, nextFrom } = cursorParams(ctx);
    const seeded = await ensureItems(ctx, pageSize * 2 + 3);
    if (!seeded.ok) return fail(`could not seed items: ${seeded.message}`);
    const first = await fetchPage(ctx, pagePath(ctx, { [limitParam]: String(pageSize) }), 'page 1');
    if (!first.ok) return fail(first.message);
    const pointer = nextPointer(ctx, first.page.response);
    const real = pointer !== null && typeof pointer === 'object' ? null : pointer;
    if (real === null) return fail('page 1 handed out no next pointer, so there is no cursor to corrupt');
    const realCursor = nextFrom === 'link-header' ? (new URL(real, 'http://x').searchParams.get(cursorParam) ?? real) : real;
    const variants: Array<[string, string, boolean]> = [
      ['junk', '!!not-a-cursor!!', true],
      ['wrong shape', Buffer.from('{"unexpected":true}').toString('base64url'), true],
      ['truncated', realCursor.slice(0, Math.max(1, realCursor.length - 3)), false],
    ];
    const problems: string[] = [];
    for (const [label, cursor, mustReject] of variants) {
      const path = pagePath(ctx, { [limitParam]: String(pageSize), [cursorParam]: cursor });
      const result = await ctx.http.send({ method: 'GET', path, note: `${label} cursor` });
      if (!result.ok || result.status >= 500) {
        problems.push(`${label} cursor answered ${describeResult(result)}`);
        continue;
      }
      if (result.status >= 400) continue;
      const listed = itemsOf(ctx, result.json());
      const items = Array.isArray(listed) ? listed : [];
      const restarted = sameIds(ctx, items, first.page.items);
      if (mustReject || restarted) {
        problems.push(`${label} cursor answered ${result.status}${restarted ? ' with page 1 again (a silent restart)' : ''}, expected 4xx`);
      }
    }
    if (problems.length > 0) return fail(problems.join('; '));
    return pass('junk, wrong-shape and truncated cursors were all refused or harmless');
  },
};
