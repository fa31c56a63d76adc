import type { CheckContext } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';

export type Walk =
  | { ok: true; pages: Array<Array<Record<string, unknown>>>; ids: string[] }
  | { ok: false; message: string };

const MAX_PAGES = 500;

/** Follows the next pointer from the first page to the end, guarding against loops. */
export async function walkPages(ctx: CheckContext, pageSize: number): Promise<Walk> {
  const { http, params } = ctx;
  const { limitParam, cursorParam, dataField, nextField } = params.pagination;
  const pages: Array<Array<Record<string, unknown>>> = [];
  const ids: string[] = [];
  const seenCursors = new Set<string>();
  let cursor: string | null = null;
  while (pages.length < MAX_PAGES) {
    const query = new URLSearchParams({ [limitParam]: String(pageSize) });
    if (cursor !== null) query.set(cursorParam, cursor);
    const path = `${params.items.path}?${query.toString()}`;
    const result = await http.send({ method: 'GET', path, note: `page ${pages.length + 1}` });
    if (!result.ok || result.status !== 200) {
      return { ok: false, message: `page ${pages.length + 1} (GET ${path}) answered ${describeResult(result)}` };
    }
    const body = result.json() as Record<string, unknown> | undefined;
    const data = body?.[dataField];
    if (!Array.isArray(data)) return { ok: false, message: `page ${pages.length + 1} has no "${dataField}" array` };
    if (data.length > pageSize) {
      return { ok: false, message: `page ${pages.length + 1} returned ${data.length} items for ${limitParam}=${pageSize}` };
    }
    const items = data.filter((item): item is Record<string, unknown> => typeof item === 'object' && item !== null);
    pages.push(items);
    for (const item of items) ids.push(String(item[params.items.idField]));
    const next = body?.[nextField];
    if (next === null || next === undefined || next === '') return { ok: true, pages, ids };
    if (typeof next !== 'string') return { ok: false, message: `"${nextField}" is ${typeof next}, expected a string or null` };
    if (seenCursors.has(next)) return { ok: false, message: `page ${pages.length} repeated an earlier cursor: the walk would loop forever` };
    seenCursors.add(next);
    cursor = next;
  }
  return { ok: false, message: `the walk did not end within ${MAX_PAGES} pages` };
}
