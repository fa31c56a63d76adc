import { describe, expect, it } from 'vitest';
import { parseTestSummary } from '../../../../sandbox/toolchains/node/test-summary.ts';

describe('parseTestSummary', () => {
  it.each([
    [' Test Files  1 passed (1)\n      Tests  1 failed | 7 passed (8)\n', { runner: 'vitest', passed: 7, failed: 1 }],
    ['      Tests  12 passed (12)\n', { runner: 'vitest', passed: 12, failed: 0 }],
    ['Tests:       2 failed, 10 passed, 12 total\n', { runner: 'jest', passed: 10, failed: 2 }],
    ['# tests 3\n# pass 3\n# fail 0\n', { runner: 'node:test/tap', passed: 3, failed: 0 }],
    ['  5 passing (20ms)\n  1 failing\n', { runner: 'mocha', passed: 5, failed: 1 }],
  ])('reads %j', (output, expected) => {
    expect(parseTestSummary(output)).toEqual(expected);
  });

  it('says nothing when it recognises nothing', () => {
    expect(parseTestSummary('all good!')).toBeNull();
  });
});
