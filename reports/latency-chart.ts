import type { Report } from '../core/report.ts';

const esc = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const PERCENTILES = [
  { key: 'p50', colour: '#8fb8de' },
  { key: 'p95', colour: '#1f6feb' },
  { key: 'p99', colour: '#0a3069' },
] as const;

/**
 * The load runs as inline SVG: p50, p95 and p99 of each run as bars, the assignment's p95
 * SLO as a red dashed line and the reference's p95 (same probe, machine and image) as a grey
 * one, so a reviewer sees at a glance whether the runs agree and how close they come to the
 * line. Scales with its container (viewBox), so it fits a phone's width.
 */
export function latencyChart(load: NonNullable<Report['load']>): string {
  const runs = load.measurement.runs;
  if (runs.length === 0) return '';
  const slo = load.sloP95Ms;
  const reference = load.baseline?.p95 ?? null;
  const top = Math.max(...runs.map((run) => run.latencyMs.p99), slo ?? 0, reference ?? 0) * 1.15 || 1;
  const width = 640;
  const height = 220;
  const left = 48;
  const bottom = 28;
  const plotH = height - bottom - 12;
  const group = (width - left - 12) / runs.length;
  const bar = Math.min(36, (group - 16) / 3);
  const y = (ms: number) => 12 + plotH - (ms / top) * plotH;
  const parts: string[] = [];
  for (const tick of [0, 0.25, 0.5, 0.75, 1].map((f) => f * top)) {
    parts.push(`<line x1="${left}" x2="${width - 12}" y1="${y(tick).toFixed(1)}" y2="${y(tick).toFixed(1)}" stroke="#eaeef2"/><text x="${left - 6}" y="${(y(tick) + 4).toFixed(1)}" text-anchor="end" font-size="11" fill="#57606a">${tick < 10 ? tick.toFixed(1) : tick.toFixed(0)}</text>`);
  }
  runs.forEach((run, i) => {
    const x0 = left + i * group + (group - 3 * bar) / 2;
    PERCENTILES.forEach(({ key, colour }, j) => {
      const value = run.latencyMs[key];
      parts.push(`<rect class="bar" data-run="${i + 1}" data-p="${key}" x="${(x0 + j * bar).toFixed(1)}" y="${y(value).toFixed(1)}" width="${(bar - 2).toFixed(1)}" height="${(y(0) - y(value)).toFixed(1)}" fill="${colour}"><title>${esc(`run ${i + 1}: ${key} ${value.toFixed(1)} ms`)}</title></rect>`);
    });
    parts.push(`<text x="${(left + i * group + group / 2).toFixed(1)}" y="${height - 8}" text-anchor="middle" font-size="12" fill="#1b1f24">run ${i + 1}</text>`);
  });
  if (slo !== null) parts.push(`<line class="slo" x1="${left}" x2="${width - 12}" y1="${y(slo).toFixed(1)}" y2="${y(slo).toFixed(1)}" stroke="#cf222e" stroke-dasharray="6 4" stroke-width="2"><title>${esc(`p95 SLO ${slo} ms`)}</title></line>`);
  if (reference !== null) parts.push(`<line class="reference" x1="${left}" x2="${width - 12}" y1="${y(reference).toFixed(1)}" y2="${y(reference).toFixed(1)}" stroke="#6e7781" stroke-dasharray="2 3" stroke-width="2"><title>${esc(`reference p95 ${reference.toFixed(1)} ms`)}</title></line>`);
  const legend = [
    ...PERCENTILES.map(({ key, colour }) => `<span><i style="background:${colour}"></i>${key}</span>`),
    ...(slo !== null ? [`<span><i style="background:#cf222e"></i>p95 SLO ${slo} ms</span>`] : []),
    ...(reference !== null ? [`<span><i style="background:#6e7781"></i>reference p95 ${reference.toFixed(1)} ms</span>`] : []),
  ].join('');
  return `<figure class="chart"><svg id="latency-chart" viewBox="0 0 ${width} ${height}" role="img" aria-label="latency per load run (ms)" style="width:100%;height:auto">${parts.join('')}</svg><figcaption class="legend">${legend}</figcaption></figure>`;
}
