import type { Area, Report } from '../core/report.ts';
import { areasWithChecks } from './by-area.ts';

export interface SummaryRow {
  candidate: string;
  /** Relative path of the candidate's report.md from the summary. */
  reportPath: string;
  report: Report | null;
  /** Why there is no report (e.g. the grading crashed the harness). */
  problem?: string;
}

/**
 * The area columns: every area any candidate's report has checks in, in AREAS order. The
 * union (not one report's areas) keeps the columns the same for every row of the table.
 */
function summaryAreas(rows: readonly SummaryRow[]): Area[] {
  return areasWithChecks(rows.flatMap((row) => row.report?.checks ?? []));
}

function mustVerdict(report: Report, area: Area): string {
  const checks = report.checks.filter((check) => check.area === area && check.tier === 'must');
  if (checks.length === 0) return '—';
  const passed = checks.filter((check) => check.status === 'pass').length;
  return `${passed}/${checks.length}`;
}

const oneLine = (text: string, max = 160) => {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
};

/**
 * Why a row's score is not the outcome of a full grading, in one line, with whose fault it
 * is: not graded at all (a bad roster row, the harness crashed), or the phase that stopped
 * it. Empty when every phase ran.
 */
export function reasonFor(row: SummaryRow): string {
  if (!row.report) return oneLine(row.problem ?? 'no report');
  const stopped = row.report.phases.find((phase) => phase.status === 'failed');
  if (!stopped) return '';
  const fault = stopped.blame === 'harness' ? "the harness's fault" : stopped.blame === 'candidate' ? "the submission's fault" : 'fault unknown';
  return oneLine(`${stopped.name} ${stopped.code} (${fault}): ${stopped.message}`);
}

function sorted(rows: readonly SummaryRow[]): SummaryRow[] {
  const score = (row: SummaryRow) => (row.report ? row.report.score.points / Math.max(1, row.report.score.max) : -1);
  return [...rows].sort((a, b) => score(b) - score(a) || a.candidate.localeCompare(b.candidate));
}

const csvCell = (value: string | number) => {
  const text = String(value);
  // A leading = + - @ would be a formula to a spreadsheet: prefix it so it stays text.
  const safe = /^[=+\-@]/.test(text) ? `'${text}` : text;
  return /[",\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export function summaryCsv(rows: readonly SummaryRow[]): string {
  const areas = summaryAreas(rows);
  const header = ['candidate', 'score', 'max', 'percent', ...areas.map((area) => `must_${area}`), 'p95_ms', 'p95_ratio_to_reference', 'gradable', 'reason', 'report'];
  const lines = sorted(rows).map((row) => {
    const r = row.report;
    if (!r) return [row.candidate, '', '', '', ...areas.map(() => ''), '', '', 'false', reasonFor(row), ''].map(csvCell).join(',');
    return [
      row.candidate,
      r.score.points,
      r.score.max,
      ((100 * r.score.points) / Math.max(1, r.score.max)).toFixed(1),
      ...areas.map((area) => mustVerdict(r, area)),
      r.load ? r.load.measurement.median.latencyMs.p95.toFixed(1) : '',
      r.load?.ratios ? r.load.ratios.p95.toFixed(2) : '',
      String(r.gradable),
      reasonFor(row),
      row.reportPath,
    ]
      .map(csvCell)
      .join(',');
  });
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

export function summaryMarkdown(rows: readonly SummaryRow[], title: string): string {
  const areas = summaryAreas(rows);
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const lines = [
    `# ${cell(title)}`,
    '',
    `${rows.length} candidates, sorted by score. Area columns count must-checks passed (— where a candidate has no must-check in that area).`,
    '',
    `| Candidate | Score | ${areas.join(' | ')} | p95 (× reference) | Gradable | Reason | Report |`,
    `| --- | --- | ${areas.map(() => '---').join(' | ')} | --- | --- | --- | --- |`,
  ];
  for (const row of sorted(rows)) {
    const r = row.report;
    if (!r) {
      lines.push(`| ${cell(row.candidate)} | — | ${areas.map(() => '—').join(' | ')} | — | **not graded** | ${cell(reasonFor(row))} | — |`);
      continue;
    }
    const p95 = r.load ? `${r.load.measurement.median.latencyMs.p95.toFixed(1)} ms${r.load.ratios ? ` (×${r.load.ratios.p95.toFixed(2)})` : ''}` : '—';
    lines.push(
      `| ${cell(row.candidate)} | ${r.score.points}/${r.score.max} | ${areas.map((area) => mustVerdict(r, area)).join(' | ')} | ${p95} | ${r.gradable ? 'yes' : '**no**'} | ${cell(reasonFor(row)) || '—'} | [report](${row.reportPath}) |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
