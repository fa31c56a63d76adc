import type { CheckContext } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';
import type { Item } from './styles/pagination-style.ts';
import { idOf, itemsOf } from './walk-pages.ts';

/** Both lists hold the same ids in the same order (and at least one). */
export const sameIds = (ctx: CheckContext, a: readonly Item[], b: readonly Item[]): boolean =>
  a.length > 0 && a.length === b.length && a.every((item, i) => b[i] !== undefined && idOf(ctx, item) === idOf(ctx, b[i]));

/**
 * Sends each invalid position and says what was wrong with the answers: a 4xx the
 * assignment accepts passes, and so, where it declares `reject-or-ignore`, does a 200 that
 * serves the first page; a 5xx, a dropped connection or anything else is a problem.
 */
export async function probeInvalidPositions(
  ctx: CheckContext,
  cases: ReadonlyArray<{ label: string; path: string }>,
  mode: 'reject' | 'reject-or-ignore',
  firstPage: readonly Item[],
): Promise<string[]> {
  const accepted = new Set([400, ...ctx.params.errors.validationStatuses]);
  const problems: string[] = [];
  for (const { label, path } of cases) {
    const result = await ctx.http.send({ method: 'GET', path, note: label });
    if (!result.ok || result.status >= 500) {
      problems.push(`${label} answered ${describeResult(result)}`);
      continue;
    }
    if (accepted.has(result.status)) continue;
    const listed = itemsOf(ctx, result.json());
    const items = Array.isArray(listed) ? listed : [];
    if (result.status === 200 && mode === 'reject-or-ignore' && sameIds(ctx, items, firstPage)) continue;
    problems.push(
      `${label} answered ${result.status}${result.status === 200 ? ` with ${items.length} items${sameIds(ctx, items, firstPage) ? ' (the first page)' : ''}` : ''}, expected ${[...accepted].join(' or ')}${mode === 'reject-or-ignore' ? ' or the first page' : ''}`,
    );
  }
  return problems;
}
