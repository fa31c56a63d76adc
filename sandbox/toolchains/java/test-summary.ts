import type { TestCounts } from '../toolchain.ts';

const COUNTS = /Tests run: (\d+), Failures: (\d+), Errors: (\d+), Skipped: (\d+)(, Time elapsed)?/g;

/**
 * Counts from Surefire's lines `Tests run: 5, Failures: 1, Errors: 0, Skipped: 0`. The
 * aggregate lines (one per module, without "Time elapsed") are summed when present; else
 * the per-class lines are (from `-q` output, where only the reports' per-class lines show).
 * Errors are failures; skipped tests are neither. Null when no such line is there.
 */
export function parseSurefireSummary(output: string): TestCounts | null {
  const aggregate = { run: 0, bad: 0, skipped: 0, lines: 0 };
  const perClass = { run: 0, bad: 0, skipped: 0, lines: 0 };
  for (const [, run, failures, errors, skipped, elapsed] of output.matchAll(COUNTS)) {
    const into = elapsed ? perClass : aggregate;
    into.run += Number(run);
    into.bad += Number(failures) + Number(errors);
    into.skipped += Number(skipped);
    into.lines += 1;
  }
  const counts = aggregate.lines > 0 ? aggregate : perClass.lines > 0 ? perClass : null;
  if (!counts) return null;
  return { runner: 'surefire', passed: counts.run - counts.bad - counts.skipped, failed: counts.bad };
}
