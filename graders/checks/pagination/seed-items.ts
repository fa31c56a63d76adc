import { readPath } from '../../../core/field-path.ts';
import type { CheckContext } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';
import { CollectionLost } from './tracked-collection.ts';

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
 * Each one is added to the instance's tracked collection. Only the first create and any
 * failure are kept as evidence.
 */
export async function seedItems(ctx: CheckContext, count: number, batch = 8): Promise<Seeded> {
  const ids: string[] = [];
  const numbers = ctx.collection.numbers(count);
  for (let start = 0; start < numbers.length; start += batch) {
    const created = await Promise.all(numbers.slice(start, start + batch).map((n, i) => createItem(ctx, n, start + i === 0)));
    for (const item of created) {
      if (item.ok) {
        ids.push(item.id);
        ctx.collection.add(item.id);
      }
    }
    const failed = created.find((item) => !item.ok);
    if (failed && !failed.ok) return failed;
  }
  if (count > 0) ctx.http.note(`seeded ${count} items via POST ${ctx.params.items.path} (${batch} at a time); all answered 2xx with an id`);
  return { ok: true, ids };
}

/** What the instance holds for a walk: what the server starts with plus what its checks created. */
export type Collection = { ok: true; created: string[]; total: number } | { ok: false; message: string };

/**
 * Makes the instance hold at least `wanted` items (a multiple of `multipleOf`, when given):
 * created through the API beyond what the server starts with and what earlier checks on the
 * instance created, or, without a create endpoint, just what it starts with.
 */
export async function ensureItems(ctx: CheckContext, wanted: number, batch = 8, multipleOf?: number): Promise<Collection> {
  const { seeded, createBody: body } = ctx.params.items;
  if (body === null) {
    ctx.http.note(`the API has no create endpoint; walking the ${seeded} items it starts with (items.seeded)`);
    return { ok: true, created: [], total: seeded };
  }
  const { collection } = ctx;
  if (collection.lostBecause !== null) throw new CollectionLost(collection.lostBecause);
  const held = seeded + collection.created.length;
  const atLeast = Math.max(wanted, held);
  const target = multipleOf !== undefined && multipleOf > 0 ? Math.ceil(atLeast / multipleOf) * multipleOf : atLeast;
  if (held > 0 && collection.created.length > 0) ctx.http.note(`the instance already holds ${held} items (${collection.created.length} created by earlier checks on it)`);
  const made = await seedItems(ctx, target - held, batch);
  if (!made.ok) return made;
  return { ok: true, created: [...collection.created], total: seeded + collection.created.length };
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
