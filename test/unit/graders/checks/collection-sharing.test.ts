import { describe, expect, it } from 'vitest';
import { CATALOGUE } from '../../../../graders/catalogue.ts';
import { TrackedCollection } from '../../../../graders/checks/pagination/tracked-collection.ts';
import { context, withServer } from '../../../support/fake-server.ts';
import { LIST_FLAWS, listParams, listServer, type ListStyle } from '../../../support/list-server.ts';

const STYLES: readonly ListStyle[] = ['cursor', 'offset', 'page', 'link'];

/**
 * The checks that declare they need only the tracked collection give the same verdict when
 * they run one after another on one server as each does alone on a fresh one: for every
 * pagination style, on a correct server and on each classic flaw.
 */
describe('checks that share an instance through the tracked collection', () => {
  it.each(STYLES.flatMap((style) => LIST_FLAWS.map((flaw) => [style, flaw] as const)))('%s, flaw %s: shared verdicts equal fresh ones', async (style, flaw) => {
    const params = listParams(style);
    const checks = CATALOGUE.filter((check) => check.isolation.need === 'collection' && (check.notApplicable?.(params) ?? null) === null);
    expect(checks.length).toBeGreaterThanOrEqual(5);
    const fresh: Record<string, string> = {};
    for (const check of checks) {
      fresh[check.id] = (await withServer(listServer(style, flaw), (base) => check.run(context(base, params)))).status;
    }
    const shared = await withServer(listServer(style, flaw), async (base) => {
      const collection = new TrackedCollection();
      const statuses: Record<string, string> = {};
      for (const check of checks) statuses[check.id] = (await check.run(context(base, params, collection))).status;
      return statuses;
    });
    expect(shared).toEqual(fresh);
    const failing = Object.entries(fresh).filter(([, status]) => status === 'fail').map(([id]) => id);
    // The comparison means something only if the flaws are caught: a correct server fails nothing, a repeated or extra item fails.
    if (flaw === 'none') expect(failing).toEqual([]);
    if (flaw === 'repeat-last' || flaw === 'extra-item') expect(failing.length).toBeGreaterThan(0);
  });

  it('numbers items across checks, so create bodies stay unique on one instance', () => {
    const collection = new TrackedCollection();
    expect(collection.numbers(3)).toEqual([1, 2, 3]);
    expect(collection.numbers(2)).toEqual([4, 5]);
  });
});
