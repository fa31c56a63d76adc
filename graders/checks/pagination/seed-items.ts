import type { CheckContext } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';

export type Seeded = { ok: true; ids: string[] } | { ok: false; message: string };

function fill(template: unknown, n: number, nonce: string): unknown {
  if (typeof template === 'string') return template.replaceAll('{n}', String(n)).replaceAll('{nonce}', nonce);
  if (Array.isArray(template)) return template.map((value) => fill(value, n, nonce));
  if (template && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, fill(value, n, nonce)]));
  }
  return template;
}

export function createBody(ctx: CheckContext, n: number): string {
  return JSON.stringify(fill(ctx.params.items.createBody, n, ctx.nonce));
}

export async function createItem(ctx: CheckContext, n: number, record = true): Promise<{ ok: true; id: string } | { ok: false; message: string }> {
  const { http, params } = ctx;
  const result = await http.send({
    method: 'POST',
    path: params.items.path,
    headers: { 'content-type': 'application/json' },
    body: createBody(ctx, n),
    record,
  });
  if (!result.ok || result.status < 200 || result.status >= 300) {
    return { ok: false, message: `creating item ${n} answered ${describeResult(result)}` };
  }
  const body = result.json() as Record<string, unknown> | undefined;
  const id = body?.[params.items.idField];
  if (typeof id !== 'string' && typeof id !== 'number') {
    return { ok: false, message: `creating item ${n} answered ${result.status} without a "${params.items.idField}" field` };
  }
  return { ok: true, id: String(id) };
}

/**
 * Creates `count` items through the API, `batch` at a time: concurrent creates land in the
 * same millisecond, so many items share a created_at and only the id tiebreak orders them.
 * Only the first create and any failure are kept as evidence.
 */
export async function seedItems(ctx: CheckContext, count: number, batch = 8): Promise<Seeded> {
  const ids: string[] = [];
  for (let start = 1; start <= count; start += batch) {
    const numbers = Array.from({ length: Math.min(batch, count - start + 1) }, (_, i) => start + i);
    const created = await Promise.all(numbers.map((n) => createItem(ctx, n, n === 1)));
    for (const item of created) {
      if (!item.ok) return item;
      ids.push(item.id);
    }
  }
  ctx.http.note(`seeded ${count} items via POST ${ctx.params.items.path} (${batch} at a time); all answered 2xx with an id`);
  return { ok: true, ids };
}

export async function deleteItem(ctx: CheckContext, id: string): Promise<string | null> {
  const path = `${ctx.params.items.path}/${encodeURIComponent(id)}`;
  const result = await ctx.http.send({ method: 'DELETE', path, note: 'delete during the walk' });
  if (!result.ok || result.status < 200 || result.status >= 300) return `DELETE ${path} answered ${describeResult(result)}`;
  return null;
}
