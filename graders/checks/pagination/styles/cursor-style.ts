import LinkHeader from 'http-link-header';
import { readPath } from '../../../../core/field-path.ts';
import type { CheckContext } from '../../../check.ts';
import type { ProbeResponse } from '../../../http/probe-client.ts';
import { listPath, type PaginationStyle } from './pagination-style.ts';

type CursorParams = Extract<CheckContext['params']['pagination'], { style: 'cursor' }>;

export function cursorParams(ctx: CheckContext): CursorParams {
  const { pagination } = ctx.params;
  if (pagination.style !== 'cursor') throw new Error(`a cursor check ran for pagination style ${pagination.style}`);
  return pagination;
}

/** The `rel="next"` target of a Link header, null without one. */
export function linkNext(response: ProbeResponse): string | null | { error: string } {
  const link = response.headers.link;
  if (!link) return null;
  try {
    return LinkHeader.parse(link).rel('next')[0]?.uri ?? null;
  } catch {
    return { error: `Link header does not parse per RFC 8288: ${link.slice(0, 200)}` };
  }
}

/** The cursor a page hands out (for Link, the whole next target); null on the last page. */
export function nextPointer(ctx: CheckContext, response: ProbeResponse): string | null | { error: string } {
  const { nextFrom, nextField } = cursorParams(ctx);
  if (nextFrom === 'link-header') return linkNext(response);
  const next = readPath(response.json(), nextField);
  if (next === null || next === undefined || next === '') return null;
  if (typeof next !== 'string') return { error: `"${nextField}" is ${typeof next}, expected a string or null` };
  return next;
}

/** A Link target as a request path on the server under test. */
export const targetPath = (uri: string): string => {
  const url = new URL(uri, 'http://server.invalid');
  return `${url.pathname}${url.search}`;
};

/**
 * An opaque token handed out by the previous page. Keyset cursors (the last item's sort
 * key) can and must be exact when items are created or deleted during a walk.
 */
export const cursorStyle: PaginationStyle = {
  name: 'cursor',
  first(ctx, size) {
    return listPath(ctx, { [cursorParams(ctx).limitParam]: size === null ? null : String(size) });
  },
  next(ctx, page, size) {
    const { nextFrom, limitParam, cursorParam } = cursorParams(ctx);
    const pointer = nextPointer(ctx, page.response);
    if (pointer === null || typeof pointer === 'object') return pointer;
    if (nextFrom === 'link-header') return { path: targetPath(pointer), pointer };
    return { path: listPath(ctx, { [limitParam]: String(size), [cursorParam]: pointer }), pointer };
  },
  underWrites: 'a keyset cursor names the last item seen, so creates and deletes elsewhere cannot shift it',
};
