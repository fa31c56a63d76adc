import LinkHeader from 'http-link-header';
import { fail, pass, type CheckDefinition } from '../../check.ts';
import { readPath } from '../../../core/field-path.ts';
import { onlyFor } from './applies.ts';
import { ensureItems } from './seed-items.ts';
import { cursorParams } from './styles/cursor-style.ts';
import { fetchPage, pagePath } from './walk-pages.ts';

export const linkHeader: CheckDefinition = {
  id: 'pagination.link-header',
  area: 'pagination',
  tier: 'signal',
  title: 'A Link header, when present, parses and agrees with the body',
  points: 2,
  standard: 'RFC 8288 (Web Linking): Link: <uri>; rel="next"',
  accepted: 'no Link header (skipped), or one that parses per RFC 8288 whose rel="next" target carries the same cursor as the body',
  instance: 'relaxed',
  isolation: { need: 'collection', why: 'reads the Link header of a page; needs only enough items for two pages' },
  notApplicable: onlyFor('cursor'),
  async run(ctx) {
    const { limitParam, cursorParam, pageSize, nextFrom, nextField } = cursorParams(ctx);
    const seeded = await ensureItems(ctx, pageSize + 2);
    if (!seeded.ok) return fail(`could not seed items: ${seeded.message}`);
    const first = await fetchPage(ctx, pagePath(ctx, { [limitParam]: String(pageSize) }), 'page 1');
    if (!first.ok) return fail(first.message);
    const header = first.page.response.headers.link;
    if (!header) return { status: 'skip', message: 'no Link header on page 1' };
    let next: string | undefined;
    try {
      next = LinkHeader.parse(header).rel('next')[0]?.uri;
    } catch {
      return fail(`Link header does not parse per RFC 8288: ${header.slice(0, 200)}`);
    }
    if (!next) return fail(`Link header has no rel="next" although there is a next page: ${header.slice(0, 200)}`);
    if (nextFrom === 'body') {
      const inLink = new URL(next, 'http://x').searchParams.get(cursorParam);
      const inBody = readPath(first.page.response.json(), nextField);
      if (inBody !== undefined && inLink !== inBody) return fail(`Link next carries cursor ${inLink} but the body says ${String(inBody)}`);
    }
    return pass(`Link: rel="next" → ${next.slice(0, 120)}`);
  },
};
