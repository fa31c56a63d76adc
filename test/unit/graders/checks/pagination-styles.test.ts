import http from 'node:http';
import { describe, expect, it } from 'vitest';
import { checkParamsSchema } from '../../../../core/check-params.ts';
import { firstPage } from '../../../../graders/checks/pagination/first-page.ts';
import { fullWalk } from '../../../../graders/checks/pagination/full-walk.ts';
import { invalidOffset } from '../../../../graders/checks/pagination/invalid-offset.ts';
import { pageSize } from '../../../../graders/checks/pagination/page-size.ts';
import { totalCount } from '../../../../graders/checks/pagination/total-count.ts';
import { writesDuringWalk } from '../../../../graders/checks/pagination/writes-during-walk.ts';
import { context, PARAMS, withServer } from '../../../support/fake-server.ts';
import { itemStore } from '../../../support/list-server.ts';

type Style = 'offset' | 'page' | 'link';
type Flaw = 'none' | 'repeat-last' | 'negative-slice' | 'zero-based' | 'total-page-length' | 'drops-per-page';

/**
 * A list API in one of the non-cursor styles, with one classic flaw on demand: offset
 * (bare array), page numbers from 1 with {page, total, results}, or GitHub-style Link
 * headers over {items}.
 */
function listServer(style: Style, flaw: Flaw = 'none'): http.RequestListener {
  const { items, send, write } = itemStore();
  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (write(req, res, url)) return;
    if (req.method !== 'GET' || url.pathname !== '/items') return send(res, 404, { title: 'not found' });
    const sizeParam = style === 'link' ? 'per_page' : 'limit';
    const limit = Number(url.searchParams.get(sizeParam) ?? 5);
    if (style === 'offset') {
      const raw = url.searchParams.get('offset') ?? '0';
      const offset = Number(raw);
      if (flaw !== 'negative-slice' && (!/^\d+$/.test(raw) || offset < 0)) return send(res, 400, { title: 'bad offset' });
      const start = flaw === 'repeat-last' && offset > 0 ? offset - 1 : offset;
      return send(res, 200, items.slice(start, start + limit));
    }
    const raw = url.searchParams.get('page') ?? (flaw === 'zero-based' ? '0' : '1');
    const page = Number(raw);
    if (!/^\d+$/.test(raw) || page < (flaw === 'zero-based' ? 0 : 1)) return send(res, 400, { title: 'bad page' });
    const index = flaw === 'zero-based' ? page : page - 1;
    const results = items.slice(index * limit, index * limit + limit);
    if (style === 'page') return send(res, 200, { page, limit, total: flaw === 'total-page-length' ? results.length : items.length, results });
    const more = (index + 1) * limit < items.length;
    const size = flaw === 'drops-per-page' ? '' : `per_page=${limit}&`;
    return send(res, 200, { items: results }, more ? { link: `</items?${size}page=${page + 1}>; rel="next"` } : {});
  };
}

const paramsFor = (style: Style, extra: Record<string, unknown> = {}) =>
  checkParamsSchema.parse({
    ...PARAMS,
    items: { ...PARAMS.items, idFormat: 'integer' },
    pagination: {
      style,
      seedCount: 23,
      order: { by: ['id'] },
      ...(style === 'offset' ? { itemsField: '.' } : style === 'page' ? { itemsField: 'results', totalField: 'total' } : { itemsField: 'items', limitParam: 'per_page' }),
      ...extra,
    },
  });

const run = (style: Style, flaw: Flaw, check: typeof fullWalk, extra: Record<string, unknown> = {}) =>
  withServer(listServer(style, flaw), (base) => check.run(context(base, paramsFor(style, extra))));

describe('pagination styles: a correct API of each style passes, its classic bug fails the check named for it', () => {
  it.each(['offset', 'page', 'link'] as const)('%s: a correct walk passes full-walk and page-size', async (style) => {
    expect(await run(style, 'none', fullWalk)).toMatchObject({ status: 'pass', message: expect.stringContaining(`(${style} pagination)`) });
    expect(await run(style, 'none', pageSize)).toMatchObject({ status: 'pass' });
  });

  it('offset that repeats the last item of each page fails full-walk, naming the overlap', async () => {
    expect(await run('offset', 'repeat-last', fullWalk)).toMatchObject({ status: 'fail', message: expect.stringMatching(/appeared more than once.*pages overlap/) });
  });

  it('offset that slices from the end on a negative value fails invalid-offset', async () => {
    expect(await run('offset', 'none', invalidOffset)).toMatchObject({ status: 'pass' });
    expect(await run('offset', 'negative-slice', invalidOffset)).toMatchObject({ status: 'fail', message: expect.stringMatching(/offset=-1 answered 200/) });
  });

  it('a 0-based server where 1-based is declared fails first-page; a wrong total fails total-count', async () => {
    expect(await run('page', 'none', firstPage)).toMatchObject({ status: 'pass' });
    expect(await run('page', 'zero-based', firstPage)).toMatchObject({ status: 'fail', message: expect.stringMatching(/not numbered from 1/) });
    expect(await run('page', 'none', totalCount)).toMatchObject({ status: 'pass' });
    expect(await run('page', 'total-page-length', totalCount)).toMatchObject({ status: 'fail', message: expect.stringMatching(/reports total 10, but the walk returned 23/) });
  });

  it('a 0-based server passes when 0-based is declared', async () => {
    expect(await run('page', 'zero-based', firstPage, { firstPage: 0 })).toMatchObject({ status: 'pass' });
  });

  it('Link targets that drop the page size fail page-size', async () => {
    expect(await run('link', 'drops-per-page', pageSize)).toMatchObject({ status: 'fail', message: expect.stringMatching(/page 2 of the walk held 5 items/) });
  });

  it('writes during an offset walk are information by default, a failure when stability is demanded', async () => {
    const informed = await run('offset', 'none', writesDuringWalk);
    expect(informed).toMatchObject({ status: 'skip', message: expect.stringMatching(/^information: .*expected for offset pagination/) });
    expect(await run('offset', 'none', writesDuringWalk, { stableUnderWrites: true })).toMatchObject({ status: 'fail', message: expect.stringMatching(/position-based/) });
  });
});
