import type { Area, Report } from '../core/report.ts';

export interface SummaryRow {
  candidate: string;
  /** Relative path of the candidate's report.md from the summary. */
  reportPath: string;
  report: Report | null;
  /** Why there is no report (e.g. the grading crashed the harness). */
  problem?: string;
}

const AREAS: readonly Area[] = ['startup', 'rate_limit', 'pagination', 'error_handling', 'load'];

function areaVerdict(report: Report, area: Area): string {
  const checks = report.checks.filter((check) => check.area === area && check.tier === 'must');
  if (checks.length === 0) return '—';
  const passed = checks.filter((check) => check.status === 'pass').length;
  return `${passed}/${checks.length}`;
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
  const header = ['candidate', 'score', 'max', 'percent', ...AREAS.map((area) => `must_${area}`), 'p95_ms', 'p95_ratio_to_reference', 'gradable', 'report'];
  const lines = sorted(rows).map((row) => {
    const r = row.report;
    if (!r) return [row.candidate, '', '', '', ...AREAS.map(() => ''), '', '', 'false', row.reportPath].map(csvCell).join(',');
    return [
      row.candidate,
      r.score.points,
      r.score.max,
      ((100 * r.score.points) / Math.max(1, r.score.max)).toFixed(1),
      ...AREAS.map((area) => areaVerdict(r, area)),
      r.load ? r.load.measurement.median.latencyMs.p95.toFixed(1) : '',
      r.load?.ratios ? r.load.ratios.p95.toFixed(2) : '',
      String(r.gradable),
      row.reportPath,
    ]
      .map(csvCell)
      .join(',');
  });
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

export function summaryMarkdown(rows: readonly SummaryRow[], title: string): string {
  const cell = (text: string) => text.replace(/\|/g, '\\|');
  const lines = [
    `# ${cell(title)}`,
    '',
    `${rows.length} candidates, sorted by score. Area columns count must-checks passed.`,
    '',
    `| Candidate | Score | ${AREAS.join(' | ')} | p95 (× reference) | Gradable | Report |`,
    `| --- | --- | ${AREAS.map(() => '---').join(' | ')} | --- | --- | --- |`,
  ];
  for (const row of sorted(rows)) {
    const r = row.report;
    if (!r) {
      lines.push(`| ${cell(row.candidate)} | — | ${AREAS.map(() => '—').join(' | ')} | — | **no** (${cell(row.problem ?? 'no report')}) | — |`);
      continue;
    }
    const p95 = r.load ? `${r.load.measurement.median.latencyMs.p95.toFixed(1)} ms${r.load.ratios ? ` (×${r.load.ratios.p95.toFixed(2)})` : ''}` : '—';
    lines.push(
      `| ${cell(row.candidate)} | ${r.score.points}/${r.score.max} | ${AREAS.map((area) => areaVerdict(r, area)).join(' | ')} | ${p95} | ${r.gradable ? 'yes' : '**no**'} | [report](${row.reportPath}) |`,
    );
  }
  return `${lines.join('\n')}\n`;
}
