import type { CheckContext } from '../../../check.ts';
import { listPath, type PaginationStyle } from './pagination-style.ts';

type OffsetParams = Extract<CheckContext['params']['pagination'], { style: 'offset' }>;

export function offsetParams(ctx: CheckContext): OffsetParams {
  const { pagination } = ctx.params;
  if (pagination.style !== 'offset') throw new Error(`an offset check ran for pagination style ${pagination.style}`);
  return pagination;
}

function offsetOf(path: string, param: string): number {
  const value = new URL(path, 'http://server.invalid').searchParams.get(param);
  return value === null ? 0 : Number(value);
}

/**
 * `?offset=20&limit=10`: the client adds what it received to the offset and stops at a
 * short (or empty) page. Fair by nature: the offset counts positions, so a delete before
 * the current page shifts the next page by one; only `stableUnderWrites` makes that a fault.
 */
export const offsetStyle: PaginationStyle = {
  name: 'offset',
  first(ctx, size) {
    const { limitParam } = offsetParams(ctx);
    return listPath(ctx, { [limitParam]: size === null ? null : String(size) });
  },
  next(ctx, page, size) {
    const { limitParam, offsetParam } = offsetParams(ctx);
    if (page.items.length < size) return null;
    const offset = offsetOf(page.path, offsetParam) + page.items.length;
    return { path: listPath(ctx, { [limitParam]: String(size), [offsetParam]: String(offset) }), pointer: String(offset) };
  },
  underWrites: 'a delete before the current page shifts the next page by one item (and an insert repeats one): expected for offset pagination',
};
