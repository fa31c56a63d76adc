import type { CheckContext } from '../../../check.ts';
import { listPath, type PaginationStyle } from './pagination-style.ts';

type PageParams = Extract<CheckContext['params']['pagination'], { style: 'page' }>;

export function pageParams(ctx: CheckContext): PageParams {
  const { pagination } = ctx.params;
  if (pagination.style !== 'page') throw new Error(`a page-number check ran for pagination style ${pagination.style}`);
  return pagination;
}

export function pageNumberPath(ctx: CheckContext, number: number | string, size: number | null): string {
  const { limitParam, pageParam } = pageParams(ctx);
  return listPath(ctx, { [pageParam]: String(number), [limitParam]: size === null ? null : String(size) });
}

/**
 * `?page=2&size=10`, counted from the declared first page (0 or 1). The walk asks for the
 * first page by number, so a server counting from the other base is caught; it stops at a
 * short or empty page. Like offsets, page numbers shift under deletes and inserts.
 */
export const pageStyle: PaginationStyle = {
  name: 'page',
  first(ctx, size) {
    if (size === null) return listPath(ctx, {});
    return pageNumberPath(ctx, pageParams(ctx).firstPage, size);
  },
  next(ctx, page, size) {
    const { pageParam, firstPage } = pageParams(ctx);
    if (page.items.length < size) return null;
    const current = new URL(page.path, 'http://server.invalid').searchParams.get(pageParam);
    const number = (current === null ? firstPage : Number(current)) + 1;
    return { path: pageNumberPath(ctx, number, size), pointer: String(number) };
  },
  underWrites: 'a delete on an earlier page shifts every later page by one item (and an insert repeats one): expected for page-number pagination',
};
