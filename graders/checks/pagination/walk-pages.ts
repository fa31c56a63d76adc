import LinkHeader from 'http-link-header';
import type { CheckContext } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';
import type { ProbeResponse } from '../../http/probe-client.ts';

export type Item = Record<string, unknown>;

export interface Page {
  items: Item[];
  /** The pointer this page handed out, or null on the last page. */
  next: string | null;
  response: ProbeResponse;
}

export type Walk = { ok: true; pages: Page[]; ids: string[] } | { ok: false; message: string; pages: Page[] };

const MAX_PAGES = 500;

export function pagePath(ctx: CheckContext, query: Record<string, string | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) if (value !== null) search.set(name, value);
  const text = search.toString();
  return `${ctx.params.items.path}${text ? `?${text}` : ''}`;
}

/** The cursor (or, for Link, the whole next target) a page hands out; null at the end. */
export function nextPointer(ctx: CheckContext, response: ProbeResponse): string | null | { error: string } {
  const { nextFrom, nextField } = ctx.params.pagination;
  if (nextFrom === 'link-header') {
    const link = response.headers.link;
    if (!link) return null;
    try {
      const next = LinkHeader.parse(link).rel('next')[0];
      return next ? next.uri : null;
    } catch {
      return { error: `Link header does not parse per RFC 8288: ${link.slice(0, 200)}` };
    }
  }
  const body = response.json() as Record<string, unknown> | undefined;
  const next = body?.[nextField];
  if (next === null || next === undefined || next === '') return null;
  if (typeof next !== 'string') return { error: `"${nextField}" is ${typeof next}, expected a string or null` };
  return next;
}

/** Request path for the page after `pointer` (a cursor, or a Link target resolved to a path). */
function followPath(ctx: CheckContext, pointer: string, pageSize: number): string {
  const { nextFrom, limitParam, cursorParam } = ctx.params.pagination;
  if (nextFrom === 'link-header') {
    const url = new URL(pointer, 'http://server.invalid');
    return `${url.pathname}${url.search}`;
  }
  return pagePath(ctx, { [limitParam]: String(pageSize), [cursorParam]: pointer });
}

export async function fetchPage(ctx: CheckContext, path: string, note: string): Promise<{ ok: true; page: Page } | { ok: false; message: string }> {
  const { dataField } = ctx.params.pagination;
  const result = await ctx.http.send({ method: 'GET', path, note });
  if (!result.ok || result.status !== 200) return { ok: false, message: `${note} (GET ${path}) answered ${describeResult(result)}` };
  const body = result.json() as Record<string, unknown> | undefined;
  const data = body?.[dataField];
  if (!Array.isArray(data)) return { ok: false, message: `${note} has no "${dataField}" array` };
  const next = nextPointer(ctx, result);
  if (next !== null && typeof next === 'object') return { ok: false, message: `${note}: ${next.error}` };
  const items = data.filter((item): item is Item => typeof item === 'object' && item !== null);
  return { ok: true, page: { items, next, response: result } };
}

/**
 * Follows the next pointer from the first page to the end, guarding against loops.
 * `between(pageNumber, page)` runs after each page (used to write during the walk).
 */
export async function walkPages(
  ctx: CheckContext,
  pageSize: number,
  between?: (pageNumber: number, page: Page) => Promise<string | null>,
): Promise<Walk> {
  const { limitParam } = ctx.params.pagination;
  const { idField } = ctx.params.items;
  const pages: Page[] = [];
  const ids: string[] = [];
  const seen = new Set<string>();
  let path = pagePath(ctx, { [limitParam]: String(pageSize) });
  while (pages.length < MAX_PAGES) {
    const fetched = await fetchPage(ctx, path, `page ${pages.length + 1}`);
    if (!fetched.ok) return { ok: false, message: fetched.message, pages };
    const { page } = fetched;
    if (page.items.length > pageSize) {
      return { ok: false, message: `page ${pages.length + 1} returned ${page.items.length} items for ${limitParam}=${pageSize}`, pages };
    }
    pages.push(page);
    for (const item of page.items) ids.push(String(item[idField]));
    if (page.next === null) return { ok: true, pages, ids };
    if (seen.has(page.next)) return { ok: false, message: `page ${pages.length} repeated an earlier cursor: the walk would loop forever`, pages };
    seen.add(page.next);
    const problem = await between?.(pages.length, page);
    if (problem) return { ok: false, message: problem, pages };
    path = followPath(ctx, page.next, pageSize);
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

function compareIds(a: string, b: string): number {
  if (/^\d+$/.test(a) && /^\d+$/.test(b)) return Number(a) - Number(b);
  return a < b ? -1 : a > b ? 1 : 0;
}

/** The first adjacent pair out of (orderField, id) ascending order, or null. */
export function orderViolation(ctx: CheckContext, items: readonly Item[]): string | null {
  const { orderField } = ctx.params.pagination;
  const { idField } = ctx.params.items;
  for (let i = 1; i < items.length; i += 1) {
    const a = items[i - 1]!;
    const b = items[i]!;
    const ta = String(a[orderField]);
    const tb = String(b[orderField]);
    const byTime = Date.parse(ta) - Date.parse(tb);
    if (Number.isNaN(byTime)) return `item ${i} has no parseable "${orderField}"`;
    if (byTime > 0) return `item ${String(b[idField])} (${tb}) comes after ${String(a[idField])} (${ta})`;
    // Equal to the millisecond but different strings: finer precision decides, not the id.
    if (byTime === 0 && ta.length === tb.length && ta !== tb) {
      if (ta > tb) return `item ${String(b[idField])} (${tb}) comes after ${String(a[idField])} (${ta})`;
      continue;
    }
    if (byTime === 0 && compareIds(String(a[idField]), String(b[idField])) > 0) {
      return `items with the same ${orderField} ${ta} are not ordered by id: ${String(a[idField])} before ${String(b[idField])}`;
    }
  }
  return null;
}
