import { describe, expect, it } from 'vitest';
import { AREAS, type Area } from '../../../core/areas.ts';
import { PHASES } from '../../../core/phases.ts';
import { reportSchema, type Report } from '../../../core/report.ts';
import { CHECK_STATUSES, TIERS } from '../../../core/statuses.ts';
import { summaryTable } from '../../../harness/cli/summary-table.ts';
import { summaryCsv, summaryMarkdown, type SummaryRow } from '../../../reports/batch-summary.ts';
import { feedbackRenderer } from '../../../reports/renderers/feedback-renderer.ts';
import { htmlRenderer } from '../../../reports/renderers/html-renderer.ts';
import { junitRenderer } from '../../../reports/renderers/junit-renderer.ts';
import { markdownRenderer } from '../../../reports/renderers/markdown-renderer.ts';

/**
 * A report with checks in exactly `areas`, in the order given. Ids and titles never contain
 * an area name, so an area can only show up in an output because the renderer listed it.
 */
function reportWith(areas: readonly Area[]): Report {
  let n = 0;
  const checks = areas.flatMap((area) =>
    TIERS.map((tier) => {
      n += 1;
      const status = CHECK_STATUSES[n % CHECK_STATUSES.length] ?? 'pass';
      return {
        id: `c${n}`,
        area,
        tier,
        title: `Check number ${n}`,
        status,
        points: status === 'pass' ? 2 : 0,
        maxPoints: 2,
        message: `outcome ${n}`,
        standard: 'test',
        accepted: 'test',
        durationMs: 10,
        evidence: [],
      };
    }),
  );
  return reportSchema.parse({
    schemaVersion: 1,
    jobId: 'job-1',
    gradable: true,
    startedAt: '2026-01-01T00:00:00.000Z',
    finishedAt: '2026-01-01T00:01:00.000Z',
    durationMs: 60_000,
    assignment: { id: 'an-assignment', version: '1.0.0', title: 'An assignment' },
    submission: { name: 'someone', source: '/tmp/someone', kind: 'directory', ref: null, commit: null, fetchedAt: '2026-01-01T00:00:00.000Z', dropped: [] },
    environment: {
      harnessVersion: '0.0.0',
      nodeVersion: 'v20.0.0',
      engineVersion: null,
      image: { name: 'img', id: null, substituteFor: null },
      limits: { memoryMb: 512, cpus: 1, pids: 256 },
      candidateEnv: {},
    },
    phases: PHASES.map((name) => ({ name, status: 'ok', code: 'OK', durationMs: 1, message: 'ok' })),
    checks,
    score: { points: checks.reduce((sum, check) => sum + check.points, 0), max: checks.reduce((sum, check) => sum + check.maxPoints, 0) },
  });
}

/** The cells of a Markdown table row, trimmed. */
function mdCells(line: string): string[] {
  return line.replace(/^\|/, '').replace(/\|$/, '').split(/(?<!\\)\|/).map((cell) => cell.trim());
}

/** First cell of each body row of the "Verdict by area" table in report.md. */
function markdownAreaRows(markdown: string): string[] {
  const section = markdown.split('\n## ').find((part) => part.startsWith('Verdict by area'));
  expect(section, 'report.md has a "Verdict by area" section').toBeDefined();
  const rows = (section ?? '').split('\n').filter((line) => line.startsWith('|'));
  return rows.slice(2).map((line) => mdCells(line)[0] ?? '');
}

/** First cell of each row of <table id="areas"> in report.html. */
function htmlAreaRows(html: string): string[] {
  const table = /<table id="areas">([\s\S]*?)<\/table>/.exec(html)?.[1];
  expect(table, 'report.html has <table id="areas">').toBeDefined();
  return [...(table ?? '').matchAll(/<tr[^>]*>\s*<td>([^<]*)<\/td>/g)].map((match) => match[1] ?? '');
}

/** The area columns of summary.md: between "Score" and "p95 (× reference)". */
function batchMarkdownAreaColumns(markdown: string): string[] {
  const header = markdown.split('\n').find((line) => line.startsWith('| Candidate |'));
  expect(header).toBeDefined();
  const cells = mdCells(header ?? '');
  return cells.slice(cells.indexOf('Score') + 1, cells.findIndex((cell) => cell.startsWith('p95')));
}

function batchCsvAreaColumns(csv: string): string[] {
  const header = csv.split('\n')[0] ?? '';
  return header
    .split(',')
    .filter((name) => name.startsWith('must_'))
    .map((name) => name.slice('must_'.length));
}

/** First word of each line of the terminal summary's by-area block (header "area …"). */
function cliAreaRows(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => /^area\s/.test(line));
  expect(start, 'the terminal summary has a by-area block').toBeGreaterThanOrEqual(0);
  const block = lines.slice(start + 1);
  const end = block.findIndex((line) => line.trim() === '');
  return block.slice(0, end === -1 ? block.length : end).map((line) => line.split(/\s+/)[0] ?? '');
}

function row(candidate: string, report: Report | null): SummaryRow {
  return { candidate, reportPath: `${candidate}/report.md`, report, ...(report ? {} : { problem: 'crashed' }) };
}

describe('every report format shows every area that has checks, in AREAS order', () => {
  const everyArea = reportWith(AREAS);

  it('the fixture really covers every area, including contract and resources', () => {
    expect(new Set(everyArea.checks.map((check) => check.area))).toEqual(new Set(AREAS));
    expect(AREAS).toContain('contract');
    expect(AREAS).toContain('resources');
  });

  it('report.md: "Verdict by area" has a row per area', () => {
    expect(markdownAreaRows(markdownRenderer.render(everyArea))).toEqual([...AREAS]);
  });

  it('report.html: <table id="areas"> has a row per area, above the checks, and a filter per area', () => {
    const html = htmlRenderer.render(everyArea);
    expect(htmlAreaRows(html)).toEqual([...AREAS]);
    expect(html.indexOf('id="areas"')).toBeLessThan(html.indexOf('<h2>Checks</h2>'));
    const filters = [...html.matchAll(/data-kind="area" value="([^"]+)"/g)].map((match) => match[1]);
    expect(filters).toEqual([...AREAS]);
  });

  it('summary.md and summary.csv: a column per area', () => {
    const rows = [row('alice', everyArea), row('bob', null)];
    expect(batchMarkdownAreaColumns(summaryMarkdown(rows, 'batch'))).toEqual([...AREAS]);
    expect(batchCsvAreaColumns(summaryCsv(rows))).toEqual([...AREAS]);
  });

  it('the terminal summary: a line per area', () => {
    expect(cliAreaRows(summaryTable(everyArea))).toEqual([...AREAS]);
  });

  it('junit.xml: the phases, then a testsuite per area', () => {
    const suites = [...junitRenderer.render(everyArea).matchAll(/<testsuite name="([^"]+)"/g)].map((match) => match[1]);
    expect(suites).toEqual(['phases', ...AREAS]);
  });

  it('feedback.md: a section per area (each area here has a must-check)', () => {
    const text = feedbackRenderer.render(everyArea);
    expect(text.match(/^## /gm)?.length).toBe(AREAS.length);
  });
});

describe('areas without checks are left out; order follows AREAS, not the report', () => {
  // Reversed on purpose: the report's own order must not leak into the tables.
  const some: Area[] = ['contract', 'resources', 'startup'];
  const expected = AREAS.filter((area) => some.includes(area));
  const report = reportWith(some);

  it('report.md, report.html and the terminal summary', () => {
    expect(markdownAreaRows(markdownRenderer.render(report))).toEqual(expected);
    expect(htmlAreaRows(htmlRenderer.render(report))).toEqual(expected);
    expect(cliAreaRows(summaryTable(report))).toEqual(expected);
  });

  it('junit.xml suites follow AREAS order too', () => {
    const suites = [...junitRenderer.render(report).matchAll(/<testsuite name="([^"]+)"/g)].map((match) => match[1]);
    expect(suites).toEqual(['phases', ...expected]);
  });

  it('a report with no checks has an empty area table, not a broken one', () => {
    const empty = reportWith([]);
    expect(markdownAreaRows(markdownRenderer.render(empty))).toEqual([]);
    expect(htmlAreaRows(htmlRenderer.render(empty))).toEqual([]);
    expect(summaryTable(empty)).not.toMatch(/^area\s/m);
  });

  it('the batch summary takes the union over candidates, so every row has the same columns', () => {
    const rows = [row('alice', reportWith(['contract'])), row('bob', reportWith(['resources', 'startup'])), row('carol', null)];
    const markdown = summaryMarkdown(rows, 'batch');
    expect(batchMarkdownAreaColumns(markdown)).toEqual(expected);
    expect(batchCsvAreaColumns(summaryCsv(rows))).toEqual(expected);
    const width = mdCells(markdown.split('\n').find((line) => line.startsWith('| Candidate |')) ?? '').length;
    for (const line of markdown.split('\n').filter((l) => l.startsWith('| ') && !l.startsWith('| ---'))) expect(mdCells(line)).toHaveLength(width);
  });

  it('a batch cell counts must-checks; an area the candidate has no must-check in shows —', () => {
    const bob = reportWith(['resources']);
    const alice = reportWith(['contract']);
    for (const check of alice.checks) Object.assign(check, { status: 'pass' });
    const csv = summaryCsv([row('alice', alice), row('bob', bob)]).trim().split('\n');
    const header = csv[0]?.split(',') ?? [];
    const aliceCells = csv.find((line) => line.startsWith('alice,'))?.split(',') ?? [];
    const bobCells = csv.find((line) => line.startsWith('bob,'))?.split(',') ?? [];
    expect(aliceCells[header.indexOf('must_contract')]).toBe('1/1');
    expect(aliceCells[header.indexOf('must_resources')]).toBe('—');
    expect(bobCells[header.indexOf('must_contract')]).toBe('—');
  });
});
