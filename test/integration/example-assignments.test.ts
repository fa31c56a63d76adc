import { describe, expect, it } from 'vitest';
import { rowCount, validateCli } from '../support/validate-cli.ts';

/**
 * The example assignments in other API shapes (offset + bare array, page + total, Link over
 * pre-seeded data) and the one-line failures of a manifest that does not match its
 * reference. A file of its own, so a second test worker runs it beside the big matrices.
 */
describe('examples in other API shapes (real Docker, through the CLI)', () => {
  it.each(['offset-skip-array', 'page-total-results', 'link-header-seeded'])('examples/%s: the reference passes its declared style, each mutant fails what it names', async (example) => {
    const { exitCode, stdout } = await validateCli(`assignments/examples/${example}`, []);
    expect(stdout).toMatch(/proof holds: \d+ subjects/);
    expect(rowCount(stdout, 'mutant')).toBeGreaterThanOrEqual(4);
    expect(exitCode).toBe(0);
  }, 900_000);

  it('a manifest that does not match its reference fails validate with a line naming the field and what came back', async () => {
    const { exitCode, stdout } = await validateCli('assignments/rate-limited-items', ['pagination.itemsField=results', 'load.enabled=false', 'checks=[pagination.full-walk]'], ['--only', 'reference']);
    expect(exitCode).toBe(1);
    expect(stdout).toMatch(/pagination\.full-walk: expected pass, got fail \(page 1: no "results" array \(pagination\.itemsField\); the body is an object with keys data, next_cursor\)/);
    const budget = await validateCli('assignments/rate-limited-items', ['rateLimit.fixed={max: 3, windowMs: 60000}', 'load.enabled=false', 'checks=[rate_limit.boundary]'], ['--only', 'reference']);
    expect(budget.exitCode).toBe(1);
    expect(budget.stdout).toMatch(/rate_limit\.boundary: expected pass, got fail \(request 4 answered HTTP 200; budget is 3 per 60000 ms/);
  }, 900_000);
});
