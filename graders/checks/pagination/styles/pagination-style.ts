import type { CheckParams } from '../../../../core/check-params.ts';
import type { CheckContext } from '../../../check.ts';
import type { ProbeResponse } from '../../../http/probe-client.ts';

export type Item = Record<string, unknown>;

export interface Page {
  items: Item[];
  /** The request that fetched this page. */
  path: string;
  response: ProbeResponse;
}

/** The request for the next page, the end of the list, or why the page cannot be followed. */
export type Next = { path: string; pointer: string } | null | { error: string };

/** A position the style must refuse (or, where declared, may ignore). */
export interface InvalidPosition {
  label: string;
  path: string;
}

/**
 * One way to page through a collection. Each style knows how a client builds the first
 * request and the next one, when a walk has ended, and what its pointers can promise when
 * items are written during a walk: the fairness rules live beside the mechanics.
 */
export interface PaginationStyle {
  name: string;
  /** The first page; `size` null sends no limit parameter. */
  first(ctx: CheckContext, size: number | null): string;
  /** Where the page after `page` is, as a client of this style finds it. */
  next(ctx: CheckContext, page: Page, size: number): Next;
  /**
   * What writes between page requests may do to a walk under this style, said to the
   * reviewer when the assignment does not demand stability.
   */
  underWrites: string;
}

/** `?a=1&b=2` on the collection path, skipping null values. */
export function listPath(ctx: CheckContext, query: Record<string, string | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== null) search.set(name, value);
  const text = search.toString();
  return `${ctx.params.items.path}${text ? `?${text}` : ''}`;
}

/** The query parameter that says where a page starts, whatever the style (for junk-input checks). */
export function positionParam(pagination: CheckParams['pagination']): string {
  switch (pagination.style) {
    case 'cursor':
      return pagination.cursorParam;
    case 'offset':
      return pagination.offsetParam;
    case 'page':
      return pagination.pageParam;
    case 'link':
      return pagination.limitParam;
  }
}
