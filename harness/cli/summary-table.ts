import { howItRan } from '../../reports/how-it-ran.ts';
import type { Report } from '../../core/report.ts';
import type { Style } from './terminal-style.ts';
import { statusCounts, tallyByArea } from '../../reports/by-area.ts';

function pad(text: string, width: number): string {
  return text.length >= width ? `${text.slice(0, width - 1)}…` : text.padEnd(width);
}

const STATUS_STYLE: Record<string, Style | undefined> = { pass: 'green', ok: 'green', fail: 'red', failed: 'red', error: 'red', not_run: 'yellow', skipped: 'dim', skip: 'dim' };

/** The few lines a person reads in the terminal; the report files hold the rest. Colour only through `paint`. */
export function summaryTable(report: Report, paint: (style: Style, text: string) => string = (_style, text) => text): string {
  const status = (word: string, width: number) => {
    const style = STATUS_STYLE[word.split(' ')[0] ?? ''];
    return style ? paint(style, pad(word, width)) : pad(word, width);
  };
  const lines: string[] = [];
  const commit = report.submission.commit ? ` @ ${report.submission.commit.slice(0, 12)}` : '';
  lines.push(`${report.assignment.id} v${report.assignment.version} · ${report.submission.name}${commit}`);
  lines.push(`${paint('bold', `score ${report.score.points}/${report.score.max}`)} · ${report.gradable ? 'gradable' : paint('red', 'NOT GRADABLE (harness failure)')} · ${(report.durationMs / 1000).toFixed(1)} s`);
  lines.push(...howItRan(report));
  lines.push('');
  lines.push(`${pad('phase', 10)}${pad('status', 22)}time`);
  for (const phase of report.phases) {
    lines.push(`${pad(phase.name, 10)}${status(phase.status === 'failed' ? `failed ${phase.code}` : phase.status, 22)}${(phase.durationMs / 1000).toFixed(1)} s`);
  }
  const failedPhase = report.phases.find((phase) => phase.status === 'failed');
  if (failedPhase) lines.push(`  ${failedPhase.message.split('\n')[0]}`);
  if (report.load) {
    const { median } = report.load.measurement;
    const ratio = report.load.ratios ? ` · ${report.load.ratios.rps.toFixed(2)}× the reference's throughput` : '';
    lines.push(`load: ${median.rps.toFixed(0)} req/s, p50 ${median.latencyMs.p50.toFixed(1)} ms, p95 ${median.latencyMs.p95.toFixed(1)} ms, p99 ${median.latencyMs.p99.toFixed(1)} ms${ratio}`);
  }
  const areas = tallyByArea(report);
  if (areas.length > 0) {
    lines.push('');
    lines.push(`${pad('area', 16)}${pad('passed', 8)}${pad('points', 10)}other`);
    for (const entry of areas) {
      lines.push(`${pad(entry.area, 16)}${pad(`${entry.passed}/${entry.checks.length}`, 8)}${pad(`${entry.points}/${entry.maxPoints}`, 10)}${statusCounts({ ...entry.counts, pass: 0 })}`.trimEnd());
    }
  }
  lines.push('');
  lines.push(`${pad('check', 38)}${pad('status', 8)}points`);
  for (const check of report.checks) {
    lines.push(`${pad(check.id, 38)}${status(check.status, 8)}${check.points}/${check.maxPoints}`);
    if (check.status === 'fail' || check.status === 'error') lines.push(`  ${check.message.split('\n')[0]?.slice(0, 160)}`);
  }
  return lines.join('\n');
}
