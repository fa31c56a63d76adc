import { describeShape, readPath } from '../../../core/field-path.ts';
import type { CheckContext } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';
import { listPath, type Item, type Page } from './styles/pagination-style.ts';
import { styleOf } from './styles/style-of.ts';

export type { Item, Page } from './styles/pagination-style.ts';

export type Walk = { ok: true; pages: Page[]; ids: string[] } | { ok: false; message: string; pages: Page[] };

const MAX_PAGES = 500;

/** The collection path with a query (kept for checks that build their own requests). */
export const pagePath = listPath;

/** The items of a list response, or what is wrong with where the manifest says they are. */
export function itemsOf(ctx: CheckContext, body: unknown): Item[] | { error: string } {
  const { itemsField } = ctx.params.pagination;
  const data = readPath(body, itemsField);
  if (!Array.isArray(data)) {
    const where = itemsField === '.' ? 'the body is not an array' : `no "${itemsField}" array`;
    return { error: `${where} (pagination.itemsField); the body is ${describeShape(body)}` };
  }
  return data.filter((item): item is Item => typeof item === 'object' && item !== null);
}

export const idOf = (ctx: CheckContext, item: Item): string => String(readPath(item, ctx.params.items.idField));

export async function fetchPage(ctx: CheckContext, path: string, note: string): Promise<{ ok: true; page: Page } | { ok: false; message: string }> {
  const result = await ctx.http.send({ method: 'GET', path, note });
  if (!result.ok || result.status !== 200) return { ok: false, message: `${note} (GET ${path}) answered ${describeResult(result)}` };
  const items = itemsOf(ctx, result.json());
  if (!Array.isArray(items)) return { ok: false, message: `${note}: ${items.error}` };
  return { ok: true, page: { items, path, response: result } };
}

export interface WalkOptions {
  /** Runs after each page but the last (used to write during the walk); a string stops the walk. */
  between?: (pageNumber: number, page: Page) => Promise<string | null>;
  /**
   * Fail a page with more items than asked for. Off for the page-size check, which
   * judges sizes itself and wants the whole walk as evidence.
   */
  strictSize?: boolean;
}

/**
 * Walks the collection as a client of the declared style would: the first page, then
 * each next request the style derives from the page before, to the end; loops and runaway
 * walks are failures, not hangs.
 */
export async function walkPages(ctx: CheckContext, pageSize: number, options: WalkOptions = {}): Promise<Walk> {
  const style = styleOf(ctx);
  const { limitParam } = ctx.params.pagination;
  const pages: Page[] = [];
  const ids: string[] = [];
  const seen = new Set<string>();
  let path = style.first(ctx, pageSize);
  while (pages.length < MAX_PAGES) {
    const fetched = await fetchPage(ctx, path, `page ${pages.length + 1}`);
    if (!fetched.ok) return { ok: false, message: fetched.message, pages };
    const { page } = fetched;
    if (options.strictSize !== false && page.items.length > pageSize) {
      return { ok: false, message: `page ${pages.length + 1} returned ${page.items.length} items for ${limitParam}=${pageSize}`, pages };
    }
    pages.push(page);
    for (const item of page.items) ids.push(idOf(ctx, item));
    const next = style.next(ctx, page, pageSize);
    if (next === null) return { ok: true, pages, ids };
    if ('error' in next) return { ok: false, message: `page ${pages.length}: ${next.error}`, pages };
    if (seen.has(next.path)) return { ok: false, message: `page ${pages.length} pointed back to an earlier page (${next.path}): a client following it would loop forever`, pages };
    seen.add(next.path);
    const problem = await options.between?.(pages.length, page);
    if (problem) return { ok: false, message: problem, pages };
    path = next.path;
  }
  return { ok: false, message: `the walk did not end within ${MAX_PAGES} pages`, pages };
}

/** Ids that occur more than once, and ids from `expected` that never occur. */
export function tally(ids: readonly string[], expected: readonly string[]): { duplicated: string[]; missing: string[] } {
  const counts = new Map<string, number>();
  for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
  return {
    duplicated: [...counts].filter(([, count]) => count > 1).map(([id]) => id),
    missing: expected.filter((id) => !counts.has(id)),
  };
}

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}/;

/**
 * Compares two values of one sort field: numbers (and numeric strings) as numbers,
 * timestamps as instants with finer digits deciding ties at the millisecond, anything
 * else as strings. null when the values cannot be compared.
 */
export function compareValues(a: unknown, b: unknown): number | null {
  if (a === undefined || b === undefined || a === null || b === null) return null;
  const numeric = (value: unknown) => (typeof value === 'number' ? value : typeof value === 'string' && /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : null);
  const na = numeric(a);
  const nb = numeric(b);
  if (na !== null && nb !== null) return na - nb;
  const sa = String(a);
  const sb = String(b);
  if (ISO_INSTANT.test(sa) && ISO_INSTANT.test(sb)) {
    const byTime = Date.parse(sa) - Date.parse(sb);
    if (Number.isNaN(byTime)) return null;
    if (byTime !== 0) return byTime;
    // Equal to the millisecond: finer precision of the same format decides.
    if (sa.length === sb.length) return sa < sb ? -1 : sa > sb ? 1 : 0;
    return 0;
  }
  return sa < sb ? -1 : sa > sb ? 1 : 0;
}

/** The first adjacent pair out of the declared order, or null. */
export function orderViolation(ctx: CheckContext, items: readonly Item[]): string | null {
  const { by, direction } = ctx.params.pagination.order;
  if (by.length === 0) return null;
  const sign = direction === 'asc' ? 1 : -1;
  for (let i = 1; i < items.length; i += 1) {
    const a = items[i - 1]!;
    const b = items[i]!;
    for (const field of by) {
      const order = compareValues(readPath(a, field), readPath(b, field));
      if (order === null) return `item ${i + 1} or the one before it has no comparable "${field}"`;
      if (order * sign > 0) {
        const shown = by.map((name) => `${name} ${JSON.stringify(readPath(b, name))}`).join(', ');
        const before = by.map((name) => `${name} ${JSON.stringify(readPath(a, name))}`).join(', ');
        return `item ${idOf(ctx, b)} (${shown}) comes after item ${idOf(ctx, a)} (${before}), but the order is (${by.join(', ')}) ${direction}ending`;
      }
      if (order * sign < 0) break;
    }
  }
  return null;
}

/** The declared order, for messages. */
export const orderText = (ctx: CheckContext): string => {
  const { by, direction } = ctx.params.pagination.order;
  return by.length === 0 ? 'any order' : `(${by.join(', ')}) ${direction === 'asc' ? 'ascending' : 'descending'}`;
};
