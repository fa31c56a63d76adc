import type { CheckContext } from '../../../check.ts';
import { linkNext, targetPath } from './cursor-style.ts';
import { listPath, type PaginationStyle } from './pagination-style.ts';

/**
 * GitHub-style: the client builds only the first URL and then follows `Link: <…>;
 * rel="next"` (RFC 8288) until there is none; what the URLs carry is the server's business.
 */
export const linkStyle: PaginationStyle = {
  name: 'link',
  first(ctx: CheckContext, size) {
    return listPath(ctx, { [ctx.params.pagination.limitParam]: size === null ? null : String(size) });
  },
  next(_ctx, page) {
    const next = linkNext(page.response);
    if (next === null || typeof next === 'object') return next;
    return { path: targetPath(next), pointer: next };
  },
  underWrites: 'what links promise under writes depends on what they carry (page numbers shift; keyset cursors do not)',
};
