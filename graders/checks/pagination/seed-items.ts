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

/** Creates `count` items through the API; only failures are kept as evidence. */
export async function seedItems(ctx: CheckContext, count: number): Promise<Seeded> {
  const { http, params, nonce } = ctx;
  const ids: string[] = [];
  for (let n = 1; n <= count; n += 1) {
    const result = await http.send({
      method: 'POST',
      path: params.items.path,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(fill(params.items.createBody, n, nonce)),
      record: n === 1,
      note: n === 1 ? `seeding ${count} items; the first create is shown` : undefined,
    });
    if (!result.ok || result.status < 200 || result.status >= 300) {
      return { ok: false, message: `creating item ${n} of ${count} answered ${describeResult(result)}` };
    }
    const body = result.json() as Record<string, unknown> | undefined;
    const id = body?.[params.items.idField];
    if (typeof id !== 'string' && typeof id !== 'number') {
      return { ok: false, message: `creating item ${n} answered ${result.status} without a "${params.items.idField}" field` };
    }
    ids.push(String(id));
  }
  http.note(`seeded ${count} items via POST ${params.items.path}; all answered 2xx with an id`);
  return { ok: true, ids };
}
