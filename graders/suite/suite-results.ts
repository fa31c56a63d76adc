import { XMLParser } from 'fast-xml-parser';
import { Parser, type Result as TapResult } from 'tap-parser';
import type { CheckResult, CheckStatus, Evidence } from '../../core/report.ts';
import { stripControl, truncate } from '../../core/text.ts';
import type { SuiteLine } from '../prober/protocol.ts';

/** What an assignment's manifest says about one hidden suite (see manifest-schema `suites`). */
export interface SuiteSpec {
  id: string;
  title: string;
  area: CheckResult['area'];
  tier: CheckResult['tier'];
  pointsPerTest: number;
  standard: string;
  format: 'tap' | 'junit';
  timeoutS: number;
}

/** One test the suite reported, before it becomes a check. */
export interface SuiteTest {
  name: string;
  status: Exclude<CheckStatus, 'error'>;
  durationMs: number;
  /** The runner's failure text (assertion, expected/actual, location). */
  detail: string | null;
  /** When its result line arrived (TAP only): the end of its window for exchanges. */
  endedAtMs: number | null;
}

const MAX_EXCHANGES_PER_TEST = 25;

/** `orders.suite` + "replays > same key, same body" → `orders.suite.replays-same-key-same-body`. */
export function suiteCheckId(suiteId: string, name: string, taken: Set<string>): string {
  const slug = name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'test';
  let id = `${suiteId}.${slug}`;
  for (let n = 2; taken.has(id); n += 1) id = `${suiteId}.${slug}-${n}`;
  taken.add(id);
  return id;
}

/**
 * Reads TAP line by line as it arrived, so each test's result carries the time its line
 * was printed. Only leaf tests become checks: a describe/subtest group that holds tests
 * is reported through its children.
 */
export function parseTap(lines: SuiteLine['stdout']): SuiteTest[] {
  const tests: SuiteTest[] = [];
  let now = 0;
  const follow = (parser: Parser) => {
    let lastChildHadAsserts = false;
    let asserts = 0;
    parser.on('child', (child: Parser) => {
      lastChildHadAsserts = false;
      const childFollow = follow(child);
      child.on('complete', () => {
        lastChildHadAsserts = childFollow.count() > 0;
      });
    });
    parser.on('assert', (result: TapResult) => {
      asserts += 1;
      if (lastChildHadAsserts) {
        lastChildHadAsserts = false;
        return;
      }
      tests.push({
        name: result.fullname || result.name || `test ${result.id}`,
        status: result.skip || result.todo ? 'skip' : result.ok ? 'pass' : 'fail',
        durationMs: typeof result.time === 'number' ? result.time : 0,
        detail: result.ok ? null : describeDiag(result.diag),
        endedAtMs: now,
      });
    });
    return { count: () => asserts };
  };
  const parser = new Parser();
  follow(parser);
  for (const line of lines) {
    now = line.atMs;
    parser.write(`${line.text}\n`);
  }
  parser.end();
  return tests;
}

function describeDiag(diag: unknown): string | null {
  if (!diag || typeof diag !== 'object') return null;
  const d = diag as Record<string, unknown>;
  const parts: string[] = [];
  if (typeof d.error === 'string') parts.push(d.error);
  else if (d.error && typeof d.error === 'object' && 'message' in d.error) parts.push(String((d.error as { message: unknown }).message));
  if ('expected' in d || 'actual' in d) parts.push(`expected: ${JSON.stringify(d.expected)}; actual: ${JSON.stringify(d.actual)}`);
  if (typeof d.location === 'string') parts.push(`at ${d.location}`);
  return parts.length > 0 ? parts.join('\n') : null;
}

const xml = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '',
  textNodeName: '#text',
  isArray: (name) => ['testsuite', 'testcase', 'failure', 'error', 'skipped'].includes(name),
  processEntities: true,
});

/** JUnit XML as written by node, vitest, jest-junit, pytest, hurl: one test per `<testcase>`. */
export function parseJunit(text: string): SuiteTest[] {
  const doc = xml.parse(text) as Record<string, unknown>;
  const tests: SuiteTest[] = [];
  const walk = (node: unknown, prefix: string[]) => {
    if (!node || typeof node !== 'object') return;
    const element = node as Record<string, unknown>;
    for (const suite of asArray(element.testsuite)) {
      const s = suite as Record<string, unknown>;
      const name = typeof s.name === 'string' && s.name !== '' ? [s.name] : [];
      walk(s, [...prefix, ...name]);
    }
    for (const testcase of asArray(element.testcase)) {
      const t = testcase as Record<string, unknown>;
      const failures = [...asArray(t.failure), ...asArray(t.error)];
      const skipped = asArray(t.skipped).length > 0;
      const name = String(t.name ?? 'test');
      // classname is left out: runners fill it with a file path or a constant ("test").
      tests.push({
        name: [...prefix, name].join(' > '),
        status: failures.length > 0 ? 'fail' : skipped ? 'skip' : 'pass',
        durationMs: Number(t.time ?? 0) * 1000 || 0,
        detail: failures.length > 0 ? failures.map(failureText).join('\n') : null,
        endedAtMs: null,
      });
    }
  };
  walk(doc.testsuites ?? doc, []);
  return tests;
}

function asArray(value: unknown): unknown[] {
  return value === undefined ? [] : Array.isArray(value) ? value : [value];
}

function failureText(failure: unknown): string {
  if (typeof failure === 'string') return failure;
  const f = (failure ?? {}) as Record<string, unknown>;
  return [f.message, f['#text']].filter((part) => typeof part === 'string' && part !== '').join('\n');
}

/**
 * The suite's tests as checks. Each carries the requests it sent and the answers it saw:
 * exchanges whose X-Test-Name header names the test; untagged ones, for TAP, by time
 * (between the previous result line and its own; runners that print late shift this),
 * and for JUnit (written only at the end) every untagged exchange of the suite.
 */
export function suiteResults(spec: SuiteSpec, line: SuiteLine): CheckResult[] {
  const base = {
    area: spec.area,
    tier: spec.tier,
    standard: spec.standard,
    accepted: 'the hidden test passes',
    evidenceOmitted: 0,
    applies: true,
  };
  const whole = (status: CheckStatus, message: string): CheckResult[] => [
    {
      ...base,
      id: spec.id,
      title: spec.title,
      status,
      points: 0,
      maxPoints: spec.pointsPerTest,
      message,
      durationMs: 0,
      evidence: [...line.exchanges.slice(-MAX_EXCHANGES_PER_TEST).map((e) => e.evidence), ...outputEvidence(line)],
      evidenceOmitted: Math.max(0, line.exchanges.length - MAX_EXCHANGES_PER_TEST) + line.exchangesOmitted,
    },
  ];
  if (line.spawnError) return whole('error', `the suite's command did not start: ${line.spawnError}`);
  let tests: SuiteTest[];
  try {
    tests = spec.format === 'tap' ? parseTap(line.stdout) : line.junit === null ? [] : parseJunit(line.junit);
  } catch (error) {
    return whole('error', `the suite's ${spec.format === 'tap' ? 'TAP output' : 'JUnit file'} does not parse: ${error instanceof Error ? error.message : String(error)}`);
  }
  if (tests.length === 0) {
    if (line.timedOut) return whole('fail', `the suite did not finish within ${spec.timeoutS} s and reported no test (the server may be hung)`);
    const what = spec.format === 'junit' && line.junit === null ? 'wrote no JUnit file' : 'reported no test';
    // A suite that cannot report is the author's problem, not the candidate's.
    return whole('error', `the suite ${what} (exit ${line.exitCode ?? 'none'})`);
  }
  const taken = new Set<string>();
  let windowStart = -Infinity;
  const untagged = line.exchanges.filter((e) => e.test === undefined);
  const results = tests.map((test): CheckResult => {
    const named = line.exchanges.filter((e) => e.test !== undefined && (e.test === test.name || test.name.endsWith(` > ${e.test}`)));
    const timed =
      test.endedAtMs === null ? untagged : untagged.filter((e) => e.atMs > windowStart && e.atMs <= (test.endedAtMs ?? Infinity));
    if (test.endedAtMs !== null) windowStart = test.endedAtMs;
    const inWindow = [...named, ...timed];
    const evidence: Evidence[] = inWindow.slice(0, MAX_EXCHANGES_PER_TEST).map((e) => e.evidence);
    if (test.detail) evidence.push({ note: stripControl(truncate(test.detail, 2000)) });
    const message =
      test.status === 'pass' ? 'passed' : test.status === 'skip' ? 'skipped by the suite' : `failed: ${stripControl(truncate(test.detail?.split('\n')[0] ?? 'no detail', 300))}`;
    return {
      ...base,
      id: suiteCheckId(spec.id, test.name, taken),
      title: stripControl(truncate(test.name, 200)),
      status: test.status,
      // A test the suite itself skipped held nothing against the submission, as a skipped check.
      points: test.status === 'pass' || test.status === 'skip' ? spec.pointsPerTest : 0,
      maxPoints: spec.pointsPerTest,
      message,
      durationMs: Math.round(test.durationMs),
      evidence,
      evidenceOmitted: Math.max(0, inWindow.length - MAX_EXCHANGES_PER_TEST),
    };
  });
  if (line.timedOut) {
    results.push(...whole('fail', `the suite did not finish within ${spec.timeoutS} s; ${tests.length} tests reported before it was stopped`));
  }
  return results;
}

function outputEvidence(line: SuiteLine): Evidence[] {
  const tail = line.stdout.slice(-40).map((l) => l.text).join('\n');
  return [
    ...(tail ? [{ note: `suite stdout (last lines):\n${truncate(tail, 3000)}` }] : []),
    ...(line.stderrTail ? [{ note: `suite stderr (tail):\n${truncate(line.stderrTail, 3000)}` }] : []),
  ];
}
