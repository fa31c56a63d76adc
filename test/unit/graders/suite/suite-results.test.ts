import { describe, expect, it } from 'vitest';
import type { SuiteLine } from '../../../../graders/prober/protocol.ts';
import { parseJunit, parseTap, suiteResults, type SuiteSpec } from '../../../../graders/suite/suite-results.ts';

// Output as node 20's TAP reporter prints it for a describe with two tests and a top-level skip.
const TAP = `TAP version 13
# Subtest: replays
    # Subtest: same key
    ok 1 - same key
      ---
      duration_ms: 3.5
      ...
    # Subtest: conflict
    not ok 2 - conflict
      ---
      duration_ms: 1.2
      location: '/suite/a.test.mjs:5:3'
      error: |-
        Expected values to be strictly equal:
        200 !== 409
      expected: 409
      actual: 200
      ...
    1..2
not ok 1 - replays
  ---
  duration_ms: 6
  ...
# Subtest: later
ok 2 - later # SKIP
  ---
  duration_ms: 0.1
  ...
1..2
`;

const JUNIT = `<?xml version="1.0" encoding="utf-8"?>
<testsuites>
  <testsuite name="replays" tests="2" failures="1">
    <testcase name="same key" time="0.0035" classname="test"/>
    <testcase name="conflict" time="0.0012" classname="test"><failure message="200 !== 409" type="testCodeFailure">AssertionError: 200 !== 409</failure></testcase>
  </testsuite>
  <testcase name="later" time="0.0001" classname="test"><skipped type="skipped"/></testcase>
</testsuites>`;

const spec: SuiteSpec = { id: 'orders.suite', title: 'Suite', area: 'contract', tier: 'must', pointsPerTest: 2, standard: 'the contract', format: 'tap', timeoutS: 60 };
const lines = (text: string) => text.split('\n').map((line, index) => ({ atMs: index * 10, text: line }));
const exchange = (atMs: number, path: string, test?: string) => ({ atMs, evidence: { request: { method: 'GET', path } }, ...(test ? { test } : {}) });
const suiteLine = (overrides: Partial<SuiteLine>): SuiteLine => ({
  type: 'suite',
  exitCode: 1,
  timedOut: false,
  spawnError: null,
  stdout: lines(TAP),
  stdoutTruncated: false,
  stderrTail: '',
  junit: null,
  exchanges: [],
  exchangesOmitted: 0,
  ...overrides,
});

describe('hidden suite results', () => {
  it('TAP and JUnit give the same leaf tests, groups left out', () => {
    const fromTap = parseTap(lines(TAP)).map((test) => [test.name, test.status]);
    const fromJunit = parseJunit(JUNIT).map((test) => [test.name, test.status]);
    expect(fromTap).toEqual([
      ['replays > same key', 'pass'],
      ['replays > conflict', 'fail'],
      ['later', 'skip'],
    ]);
    expect(fromJunit).toEqual(fromTap);
    expect(parseTap(lines(TAP))[1]?.detail).toMatch(/200 !== 409[\s\S]*expected: 409; actual: 200[\s\S]*a\.test\.mjs:5:3/);
  });

  it('each test becomes a check with its own exchanges: named ones by X-Test-Name, others by time', () => {
    const results = suiteResults(spec, suiteLine({ exchanges: [exchange(15, '/first'), exchange(500, '/tagged', 'same key'), exchange(120, '/second')] }));
    expect(results.map((r) => [r.id, r.status, r.points, r.maxPoints])).toEqual([
      ['orders.suite.replays-same-key', 'pass', 2, 2],
      ['orders.suite.replays-conflict', 'fail', 0, 2],
      ['orders.suite.later', 'skip', 2, 2],
    ]);
    expect(results[0]?.evidence.map((e) => e.request?.path)).toEqual(['/tagged', '/first']);
    expect(results[1]?.evidence.map((e) => e.request?.path ?? e.note?.slice(0, 18))).toEqual(['/second', 'Expected values to']);
    expect(results[1]?.message).toBe('failed: Expected values to be strictly equal:');
  });

  it('a suite that reports nothing is an error (the author), a hung one a failure (the candidate)', () => {
    expect(suiteResults(spec, suiteLine({ stdout: lines('hello') }))[0]).toMatchObject({ id: 'orders.suite', status: 'error' });
    expect(suiteResults(spec, suiteLine({ spawnError: 'spawn nodee ENOENT' }))[0]?.message).toMatch(/did not start: spawn nodee ENOENT/);
    expect(suiteResults(spec, suiteLine({ stdout: lines('TAP version 13'), timedOut: true }))[0]).toMatchObject({ status: 'fail', message: expect.stringMatching(/did not finish within 60 s/) });
    expect(suiteResults({ ...spec, format: 'junit' }, suiteLine({ junit: null }))[0]?.message).toMatch(/wrote no JUnit file/);
  });
});
