import type { TestCounts } from '../toolchain.ts';

/** Passed/failed counts from the output of common JS test runners; null when none is recognised. */
export function parseTestSummary(output: string): TestCounts | null {
  // eslint-disable-next-line no-control-regex
  const text = output.replace(/\u001b\[[0-9;]*m/g, '');
  const vitest = /^\s*Tests\s+(?:(\d+) failed)?(?:\s*\|\s*)?(?:(\d+) passed)?(?:\s*\|\s*\d+ \w+)*\s*\(\d+\)/m.exec(text);
  if (vitest && (vitest[1] !== undefined || vitest[2] !== undefined)) {
    return { runner: 'vitest', passed: Number(vitest[2] ?? 0), failed: Number(vitest[1] ?? 0) };
  }
  const jest = /Tests:\s+(?:(\d+) failed,\s*)?(?:\d+ skipped,\s*)?(?:(\d+) passed,\s*)?\d+ total/.exec(text);
  if (jest) return { runner: 'jest', passed: Number(jest[2] ?? 0), failed: Number(jest[1] ?? 0) };
  const tapPass = /^# pass\s+(\d+)/m.exec(text) ?? /^ℹ pass (\d+)/m.exec(text);
  const tapFail = /^# fail\s+(\d+)/m.exec(text) ?? /^ℹ fail (\d+)/m.exec(text);
  if (tapPass || tapFail) return { runner: 'node:test/tap', passed: Number(tapPass?.[1] ?? 0), failed: Number(tapFail?.[1] ?? 0) };
  const mochaPass = /(\d+) passing/.exec(text);
  if (mochaPass) return { runner: 'mocha', passed: Number(mochaPass[1]), failed: Number(/(\d+) failing/.exec(text)?.[1] ?? 0) };
  return null;
}
