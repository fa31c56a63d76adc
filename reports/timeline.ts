import type { CheckStatus, Report } from '../core/report.ts';

const esc = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const COLORS: Record<CheckStatus, string> = { pass: '#2e7d32', fail: '#c62828', error: '#6a1b9a', not_run: '#9e9e9e', skip: '#bdbdbd' };

/**
 * The grading's instances as lanes on one time axis, each check a bar in its instance's
 * lane: where the time went (start-ups, waits, parallel runs) without rerunning anything.
 * An SVG with a title per bar, so it needs no script.
 */
export function timelineSvg(report: Report): string {
  const lanes = report.resources.filter((lane) => lane.launchedAt !== undefined && lane.stoppedAt !== undefined);
  if (lanes.length === 0) return '';
  const t0 = Math.min(...lanes.map((lane) => lane.launchedAt ?? 0));
  const t1 = Math.max(...lanes.map((lane) => lane.stoppedAt ?? 0));
  const span = Math.max(1, t1 - t0);
  const width = 900;
  const label = 260;
  const row = 16;
  const x = (t: number) => label + ((t - t0) / span) * (width - label - 10);
  const rows = lanes.map((lane, index) => {
    const y = 20 + index * row;
    const life = `<rect x="${x(lane.launchedAt ?? t0).toFixed(1)}" y="${y}" width="${Math.max(1, x(lane.stoppedAt ?? t0) - x(lane.launchedAt ?? t0)).toFixed(1)}" height="${row - 4}" fill="#e3f2fd"><title>${esc(`${lane.instance}: ${(((lane.stoppedAt ?? 0) - (lane.launchedAt ?? 0)) / 1000).toFixed(1)} s from launch to stop`)}</title></rect>`;
    const bars = report.checks
      .filter((check) => check.instance === lane.instance && check.startedAt !== undefined)
      .map((check) => {
        const start = x(check.startedAt ?? t0);
        const end = x((check.startedAt ?? t0) + check.durationMs);
        return `<rect x="${start.toFixed(1)}" y="${y + 2}" width="${Math.max(1, end - start).toFixed(1)}" height="${row - 8}" fill="${COLORS[check.status]}"><title>${esc(`${check.id}: ${check.status}, ${(check.durationMs / 1000).toFixed(2)} s`)}</title></rect>`;
      })
      .join('');
    return `<text x="0" y="${y + row - 6}" font-size="10">${esc(lane.instance.slice(0, 48))}</text>${life}${bars}`;
  });
  const height = 30 + lanes.length * row;
  const axis = `<text x="${label}" y="12" font-size="10">0 s</text><text x="${width - 60}" y="12" font-size="10">${(span / 1000).toFixed(1)} s</text>`;
  // viewBox and a 100 % width: the lanes shrink to a phone's width instead of scrolling the page.
  return `<svg id="timeline" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" style="width:100%;height:auto;max-width:${width}px" role="img" aria-label="instances and checks over time">${axis}${rows.join('')}</svg>`;
}
