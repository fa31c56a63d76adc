import type { TestCounts } from '../toolchain.ts';

const OUTCOME = /(\d+) (passed|failed|errors?|skipped|deselected|xfailed|xpassed|warnings?)\b/g;

/**
 * Counts from pytest's closing line: `=== 2 failed, 3 passed in 0.12s ===`, or its `-q`
 * form without the rulers. Collection errors count as failures (the suite could not run);
 * xfailed/xpassed, skips and warnings are neither. Null when there is no such line.
 */
export function parsePytestSummary(output: string): TestCounts | null {
  // eslint-disable-next-line no-control-regex
  const lines = output.replace(/\u001b\[[0-9;]*m/g, '').split('\n');
  for (let i = lines.length - 1; i >= 0; i -= 1) {
    const line = lines[i] ?? '';
    if (!/\b(?:passed|failed|errors?|no tests ran)\b.* in \d+(?:\.\d+)?s\b/.test(line)) continue;
    const counts = { passed: 0, failed: 0 };
    for (const [, count, outcome] of line.matchAll(OUTCOME)) {
      if (outcome === 'passed') counts.passed += Number(count);
      else if (outcome === 'failed' || outcome?.startsWith('error')) counts.failed += Number(count);
    }
    return { runner: 'pytest', ...counts };
  }
  return null;
}
