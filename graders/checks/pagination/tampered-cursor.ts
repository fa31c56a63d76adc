import { fail, pass, type CheckDefinition } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';
import { onlyFor } from './applies.ts';
import { ensureItems } from './seed-items.ts';
import { cursorParams, nextPointer } from './styles/cursor-style.ts';
import { fetchPage, pagePath } from './walk-pages.ts';

/** Decodes base64/base64url JSON; null when the cursor is not that. */
function decode(cursor: string): { value: Record<string, unknown>; url: boolean } | null {
  for (const url of [true, false]) {
    try {
      const text = Buffer.from(cursor, url ? 'base64url' : 'base64').toString('utf8');
      const value = JSON.parse(text) as unknown;
      if (value && typeof value === 'object' && !Array.isArray(value)) return { value: value as Record<string, unknown>, url };
    } catch {
      // try the other alphabet
    }
  }
  return null;
}

function tamper(value: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...value };
  for (const [key, field] of Object.entries(copy)) {
    if (typeof field === 'number') copy[key] = -999999;
    else if (typeof field === 'string') copy[key] = `${field}' OR '1'='1`;
  }
  return copy;
}

export const tamperedCursor: CheckDefinition = {
  id: 'pagination.tampered-cursor',
  area: 'pagination',
  tier: 'signal',
  title: 'A decoded, edited and re-encoded cursor is refused or harmless',
  points: 3,
  standard: 'OWASP API8:2023 (security misconfiguration); opaque cursors should be validated or signed',
  accepted: '4xx, or a 2xx page; never 5xx or a dropped connection. Skipped when the cursor is not base64 JSON',
  instance: 'relaxed',
  isolation: { need: 'collection', why: 'alters a real cursor; needs only some items to page through' },
  notApplicable: onlyFor('cursor'),
  async run(ctx) {
    const { limitParam, cursorParam, pageSize, nextFrom } = cursorParams(ctx);
    const seeded = await ensureItems(ctx, pageSize + 2);
    if (!seeded.ok) return fail(`could not seed items: ${seeded.message}`);
    const first = await fetchPage(ctx, pagePath(ctx, { [limitParam]: String(pageSize) }), 'page 1');
    if (!first.ok) return fail(first.message);
    const pointer = nextPointer(ctx, first.page.response);
    const raw = pointer !== null && typeof pointer === 'object' ? null : pointer;
    const cursor = raw && nextFrom === 'link-header' ? new URL(raw, 'http://x').searchParams.get(cursorParam) : raw;
    const decoded = cursor ? decode(cursor) : null;
    if (!cursor || !decoded) return { status: 'skip', message: 'the cursor is not base64-encoded JSON; nothing to tamper with' };
    const forged = Buffer.from(JSON.stringify(tamper(decoded.value))).toString(decoded.url ? 'base64url' : 'base64');
    const result = await ctx.http.send({
      method: 'GET',
      path: pagePath(ctx, { [limitParam]: String(pageSize), [cursorParam]: forged }),
      note: `cursor decoded to ${JSON.stringify(decoded.value).slice(0, 200)}, fields changed, re-encoded`,
    });
    if (!result.ok || result.status >= 500) return fail(`a tampered cursor answered ${describeResult(result)}`);
    return pass(`a tampered cursor answered ${result.status}`);
  },
};
