import { readPath } from '../../../core/field-path.ts';
import type { CheckContext } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';

export type Seeded = { ok: true; ids: string[] } | { ok: false; message: string };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Why an id does not have the declared format, or null. */
export function idFormatProblem(ctx: CheckContext, id: unknown): string | null {
  const { idFormat, idField } = ctx.params.items;
  if (typeof id !== 'string' && typeof id !== 'number') return `no "${idField}" field`;
  if (idFormat === 'integer' && !(Number.isSafeInteger(Number(id)) && /^-?\d+$/.test(String(id)))) return `"${idField}" is ${JSON.stringify(id)}, not an integer (items.idFormat: integer)`;
  if (idFormat === 'uuid' && !UUID.test(String(id))) return `"${idField}" is ${JSON.stringify(id)}, not a UUID (items.idFormat: uuid)`;
  return null;
}

/** The path of one item, from the manifest's template. */
export function itemPath(ctx: CheckContext, id: string): string {
  const { itemPath: template, path } = ctx.params.items;
  return (template ?? `${path}/{id}`).replace('{id}', encodeURIComponent(id));
}

function fill(template: unknown, n: number, nonce: string): unknown {
  if (typeof template === 'string') return template.replaceAll('{n}', String(n)).replaceAll('{nonce}', nonce);
  if (Array.isArray(template)) return template.map((value) => fill(value, n, nonce));
  if (template && typeof template === 'object') {
    return Object.fromEntries(Object.entries(template).map(([key, value]) => [key, fill(value, n, nonce)]));
  }
  return template;
}

/** A valid create body; the API must have a create endpoint (items.createBody not null). */
export function createBody(ctx: CheckContext, n: number): string {
  return JSON.stringify(fill(ctx.params.items.createBody ?? {}, n, ctx.nonce));
}

export async function createItem(ctx: CheckContext, n: number, record = true): Promise<{ ok: true; id: string } | { ok: false; message: string }> {
  const { http, params } = ctx;
  if (params.items.createBody === null) return { ok: false, message: 'the assignment declares no create endpoint (items.createBody: null)' };
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
  const id = readPath(result.json(), params.items.idField);
  const problem = idFormatProblem(ctx, id);
  if (problem) return { ok: false, message: `creating item ${n} answered ${result.status} with ${problem}` };
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
  if (count > 0) ctx.http.note(`seeded ${count} items via POST ${ctx.params.items.path} (${batch} at a time); all answered 2xx with an id`);
  return { ok: true, ids };
}

/** What a fresh instance holds for a walk: what the server starts with plus what was created. */
export type Collection = { ok: true; created: string[]; total: number } | { ok: false; message: string };

/**
 * Makes a fresh instance hold `wanted` items: created through the API beyond what the
 * server starts with, or, without a create endpoint, just what it starts with.
 */
export async function ensureItems(ctx: CheckContext, wanted: number, batch = 8): Promise<Collection> {
  const { seeded, createBody: body } = ctx.params.items;
  if (body === null) {
    ctx.http.note(`the API has no create endpoint; walking the ${seeded} items it starts with (items.seeded)`);
    return { ok: true, created: [], total: seeded };
  }
  const made = await seedItems(ctx, Math.max(0, wanted - seeded), batch);
  if (!made.ok) return made;
  return { ok: true, created: made.ids, total: seeded + made.ids.length };
}

export async function deleteItem(ctx: CheckContext, id: string): Promise<string | null> {
  const path = itemPath(ctx, id);
  const result = await ctx.http.send({ method: 'DELETE', path, note: 'delete during the walk' });
  if (!result.ok || result.status < 200 || result.status >= 300) return `DELETE ${path} answered ${describeResult(result)}`;
  return null;
}

/** Checks that create items cannot judge an API without a create endpoint. */
export const needsCreate = (params: CheckContext['params']): string | null =>
  params.items.createBody === null ? 'the API has no create endpoint (items.createBody: null)' : null;
