import { loadTraffic } from '../load-traffic.ts';
import { howItRan } from '../how-it-ran.ts';
import { timelineSvg } from '../timeline.ts';
import { latencyChart } from '../latency-chart.ts';
import type { Renderer } from '../renderer.ts';
import { CHECK_STATUSES, type CheckResult, type CheckStatus, type Evidence, type Report } from '../../core/report.ts';
import { areasWithChecks, areaVerdict, byStatusRank, statusCounts, STATUSES_BY_RANK, tallyByArea, type AreaVerdict } from '../by-area.ts';

/** Everything interpolated into the page goes through here: the candidate controls much of it. */
function esc(text: string | number): string {
  return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

const STATUS_LABEL: Record<CheckStatus, string> = { pass: 'pass', fail: 'fail', error: 'error', not_run: 'not run', skip: 'skip' };
/** Verdicts share the badge colours of the statuses they summarise. */
const VERDICT_BADGE: Record<AreaVerdict, { css: CheckStatus; label: string }> = { pass: { css: 'pass', label: 'pass' }, fail: { css: 'fail', label: 'fail' }, incomplete: { css: 'error', label: 'incomplete' } };

function exchange(entry: Evidence, index: number): string {
  const parts: string[] = [];
  const title = entry.request ? `${entry.request.method} ${entry.request.path}` : 'note';
  parts.push(`<div class="x-title">${index + 1}. ${esc(title)}${entry.note ? ` <span class="muted">— ${esc(entry.note)}</span>` : ''}${entry.durationMs !== undefined ? ` <span class="muted">(${Math.round(entry.durationMs)} ms)</span>` : ''}</div>`);
  if (entry.request && (entry.request.headers || entry.request.body !== undefined)) {
    const head = Object.entries(entry.request.headers ?? {}).map(([k, v]) => `${k}: ${v}`).join('\n');
    parts.push(`<pre class="req">${esc(head)}${entry.request.body !== undefined ? `\n\n${esc(entry.request.body)}` : ''}</pre>`);
  }
  if (entry.response) {
    const r = entry.response;
    const head = [`HTTP ${r.status}`, ...Object.entries(r.headers).map(([k, v]) => `${k}: ${v}`)].join('\n');
    parts.push(`<pre class="res">${esc(head)}\n\n${esc(r.body)}${r.bodyTruncated ? esc(`\n… (${r.bodyBytes} bytes in all)`) : ''}</pre>`);
  }
  if (entry.error) parts.push(`<div class="err">→ ${esc(entry.error)}</div>`);
  return `<div class="exchange">${parts.join('')}</div>`;
}

function checkCard(check: CheckResult): string {
  const evidence = check.evidence.length
    ? `<details><summary>Evidence (${check.evidence.length}${check.evidenceOmitted ? `, ${check.evidenceOmitted} more not kept` : ''})</summary>${check.evidence.map(exchange).join('')}</details>`
    : '';
  return `<section class="check ${check.status}" data-area="${esc(check.area)}" data-status="${esc(check.status)}">
<h3><span class="badge ${check.status}">${STATUS_LABEL[check.status]}</span> ${esc(check.title)}${check.borderline ? ' <span class="badge borderline">borderline</span>' : ''}</h3>
<div class="meta"><code>${esc(check.id)}</code> · ${esc(check.tier)} · ${check.points}/${check.maxPoints} pts · ${(check.durationMs / 1000).toFixed(1)} s</div>
<p><strong>Result:</strong> ${esc(check.message)}</p>
<p class="muted"><strong>Accepted:</strong> ${esc(check.accepted)}<br><strong>Standard:</strong> ${esc(check.standard)}</p>
${evidence}
</section>`;
}

const STYLE = `
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0 auto;max-width:1100px;padding:24px;color:#1b1f24}
h1{font-size:1.6em;margin:0 0 .3em}h2{margin-top:1.6em;border-bottom:1px solid #ddd;padding-bottom:.2em}h3{margin:.2em 0;font-size:1.05em}
table{border-collapse:collapse;width:100%;margin:.5em 0}th,td{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top}
.muted{color:#57606a}.badge{display:inline-block;border-radius:4px;padding:0 6px;font-size:.8em;font-weight:600;color:#fff}
.badge.pass{background:#1a7f37}.badge.fail{background:#cf222e}.badge.error{background:#9a6700}.badge.skip{background:#6e7781}.badge.not_run{background:#57606a}.badge.borderline{background:#8250df}
.check{border:1px solid #ddd;border-left-width:5px;border-radius:6px;padding:8px 12px;margin:10px 0}.check.pass{border-left-color:#1a7f37}.check.fail{border-left-color:#cf222e}.check.error{border-left-color:#9a6700}.check.skip{border-left-color:#6e7781}.check.not_run{border-left-color:#57606a;border-left-style:dashed}
pre{background:#f6f8fa;padding:8px;overflow:auto;white-space:pre-wrap;word-break:break-word;font-size:12.5px;margin:4px 0}
.x-title{font-weight:600;margin-top:8px}.err{color:#cf222e}.filters{display:flex;gap:16px;flex-wrap:wrap;align-items:center;background:#f6f8fa;padding:8px 12px;border-radius:6px}
.filters label{white-space:nowrap}.summary{display:flex;gap:24px;flex-wrap:wrap}.summary div{background:#f6f8fa;border-radius:6px;padding:8px 14px}
.scroll{overflow-x:auto;max-width:100%}code,.meta,.how,td{overflow-wrap:anywhere}h1{overflow-wrap:anywhere}
.chart{margin:.5em 0}.legend{display:flex;gap:12px;flex-wrap:wrap;font-size:.85em;color:#57606a}.legend i{display:inline-block;width:10px;height:10px;margin-right:4px;border-radius:2px}
@media (max-width:600px){body{padding:10px;font-size:14px}.summary{gap:8px}.summary div{padding:6px 8px}th,td{padding:3px 5px}.filters{gap:8px}}
@media print{.filters{display:none}.check{break-inside:avoid}}`;

// Filters and print handling; no network, no external scripts.
const SCRIPT = `
const boxes=[...document.querySelectorAll('.filters input')];
function apply(){const on=t=>boxes.filter(b=>b.dataset.kind===t&&b.checked).map(b=>b.value);const a=on('area'),s=on('status');
let shown=0;for(const c of document.querySelectorAll('.check')){const v=a.includes(c.dataset.area)&&s.includes(c.dataset.status);c.hidden=!v;if(v)shown++}
document.getElementById('shown').textContent=shown}
boxes.forEach(b=>b.addEventListener('change',apply));apply();
window.addEventListener('beforeprint',()=>document.querySelectorAll('details').forEach(d=>d.open=true));`;

/** What the scorecard panel needs from each saved review (see harness/review). */
export interface ReviewSummary {
  reviewer: string;
  recommendation: string;
  rejectReason: string | null;
  levels: Record<string, string>;
}

function scorecardPanel(report: Report, reviews: readonly ReviewSummary[]): string {
  const header = `<tr><th>Criterion</th><th>Suggested</th>${reviews.map((r) => `<th>${esc(r.reviewer)}</th>`).join('')}<th>Agreement</th></tr>`;
  const rows = report.rubric
    .map((criterion) => {
      const levels = reviews.map((review) => review.levels[criterion.criterion] ?? null);
      const given = levels.filter((level): level is string => level !== null);
      const agreement = new Set(given).size > 1 ? '<strong>DISAGREE</strong>' : given.length > 1 ? 'agree' : '—';
      return `<tr><td>${esc(criterion.title)}</td><td>${esc(criterion.suggested ?? '—')}</td>${levels.map((level) => `<td>${esc(level ?? '—')}</td>`).join('')}<td>${agreement}</td></tr>`;
    })
    .join('');
  const warning = reviews.length < 2 ? `<p><strong>Only ${reviews.length} review${reviews.length === 1 ? '' : 's'}.</strong> Decide after at least two.</p>` : '';
  const recommendations = reviews.map((r) => `<li>${esc(r.reviewer)}: ${esc(r.recommendation)}${r.rejectReason ? ` (${esc(r.rejectReason)})` : ''}</li>`).join('');
  return `<h2>Scorecard</h2>${warning}<table id="scorecard">${header}${rows}</table><ul>${recommendations}</ul>`;
}

function areaTable(report: Report): string {
  const rows = tallyByArea(report)
    .map((entry) => {
      const badge = VERDICT_BADGE[areaVerdict(entry)];
      return `<tr data-area="${esc(entry.area)}"><td>${esc(entry.area)}</td><td><span class="badge ${badge.css}">${badge.label}</span> ${entry.passed}/${entry.checks.length}</td><td>${entry.points}/${entry.maxPoints}</td><td>${esc(statusCounts({ ...entry.counts, pass: 0 }) || '—')}</td></tr>`;
    })
    .join('');
  return `<h2>Verdict by area</h2><table id="areas"><tr><th>Area</th><th>Checks passed</th><th>Points</th><th>Other outcomes</th></tr>${rows}</table>`;
}

function loadSection(load: NonNullable<Report['load']>): string {
  const m = load.measurement;
  const ms = (value: number) => value.toFixed(1);
  const rows = m.runs
    .map((run, i) => {
      const over = load.sloP95Ms !== null && run.latencyMs.p95 > load.sloP95Ms;
      const non2xx = Object.entries(run.non2xx).map(([status, n]) => `${status}×${n}`).join(' ');
      return `<tr><td>run ${i + 1}</td><td>${run.rps.toFixed(0)}</td><td>${ms(run.latencyMs.p50)}</td><td>${over ? `<strong>${ms(run.latencyMs.p95)}</strong>` : ms(run.latencyMs.p95)}</td><td>${ms(run.latencyMs.p99)}</td><td>${run.errors}</td><td>${run.timeouts}</td><td>${esc(non2xx || '—')}</td></tr>`;
    })
    .join('');
  const reference = load.baseline ? `<tr class="muted"><td>reference</td><td>${load.baseline.rps.toFixed(0)}</td><td>—</td><td>${ms(load.baseline.p95)}</td><td>—</td><td>—</td><td>—</td><td>—</td></tr>` : '';
  const summary = `${m.median.rps.toFixed(0)} req/s median; p50 ${ms(m.median.latencyMs.p50)} ms, p95 ${ms(m.median.latencyMs.p95)} ms, p99 ${ms(m.median.latencyMs.p99)} ms over ${m.runs.length} runs with ${m.settings.connections} connections (${loadTraffic(m.settings)})${load.sloP95Ms !== null ? ` (p95 SLO ${load.sloP95Ms} ms)` : ''}`;
  const ratios = load.ratios ? `; ${load.ratios.rps.toFixed(2)}× the reference's throughput, ${load.ratios.p95.toFixed(2)}× its p95` : '';
  const machine = load.busyMachine ? `<p><strong>${esc(load.busyMachine)}.</strong></p>` : '';
  return `<h2>Load</h2><p>${esc(summary + ratios)}.${m.stopReason ? ` <span class="muted">${esc(m.stopReason)}</span>` : ''}</p>${machine}
${latencyChart(load)}
<table id="load-runs"><tr><th>Run</th><th>req/s</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>errors</th><th>timeouts</th><th>non-2xx</th></tr>${rows}${reference}</table>`;
}

function repoSection(repo: NonNullable<Report['repo']>): string {
  const yes = (flag: boolean) => (flag ? 'yes' : 'no');
  const tests = repo.tests.status === 'none' ? 'no tests found' : `${repo.tests.status}${repo.tests.passed !== null ? ` (${repo.tests.passed} passed, ${repo.tests.failed ?? 0} failed)` : ''}${repo.tests.runner ? ` with ${repo.tests.runner}` : ''}`;
  const rows = [
    ['Own tests', `${tests}${repo.tests.detail ? ` — ${repo.tests.detail}` : ''}`],
    ['README', repo.readme.present ? `${repo.readme.words} words; setup steps: ${yes(repo.readme.hasSetup)}; trade-offs discussed: ${yes(repo.readme.hasTradeoffs)}` : 'none'],
    ['Files', `lockfile: ${yes(repo.files.lockfile)} · TypeScript: ${yes(repo.files.typescript)} · linter: ${yes(repo.files.linter)} · Dockerfile: ${yes(repo.files.dockerfile)}`],
    ['Commits', `${repo.commits.count}${repo.commits.spanHours !== null ? ` over ${repo.commits.spanHours.toFixed(1)} h` : ''}${repo.commits.afterDeadline ? `, ${repo.commits.afterDeadline} after the deadline` : ''}${repo.commits.note ? ` — ${repo.commits.note}` : ''}`],
  ];
  return `<h2>Repository signals</h2><table id="repo">${rows.map(([name, value]) => `<tr><th>${esc(name ?? '')}</th><td>${esc(value ?? '')}</td></tr>`).join('')}</table>`;
}

/** Findings are facts, most serious first; what was watched says what a clean list is worth. */
function securitySection(security: Report['security']): string {
  const items = security.findings.map(
    (finding) => `<li><strong>${esc(finding.severity)}</strong> · ${esc(finding.kind)} · ${esc(finding.where)}: ${esc(finding.summary)}${finding.evidence.length > 0 ? `<details><summary>evidence</summary><pre>${esc(finding.evidence.join('\n'))}</pre></details>` : ''}</li>`,
  );
  return `<h2>Security (what the sandbox saw)</h2><ul id="security">${items.length > 0 ? items.join('') : '<li>No findings.</li>'}</ul><p class="muted">Watched: ${esc(security.watched.join('; ') || 'nothing')}.</p>`;
}

/** Every table in a horizontal scroller of its own: a wide table never widens the page. */
const scrollTables = (html: string) => html.replace(/<table\b/g, '<div class="scroll"><table').replace(/<\/table>/g, '</table></div>');

/** The page, with the reviewers' scorecard when reviews exist (`grader review` re-renders it). */
export function renderReportHtml(report: Report, reviews: readonly ReviewSummary[] = []): string {
  const timeline = timelineSvg(report);
  const { submission, score } = report;
  const checks = [...report.checks].sort(byStatusRank);
  const count = (status: CheckStatus) => report.checks.filter((check) => check.status === status).length;
  const filters = [
    ...areasWithChecks(report.checks).map((area) => `<label><input type="checkbox" data-kind="area" value="${esc(area)}" checked> ${esc(area)}</label>`),
    ...STATUSES_BY_RANK.map((status) => `<label><input type="checkbox" data-kind="status" value="${status}" checked> ${status} (${count(status)})</label>`),
  ].join('');
  const phases = report.phases
    .map((p) => `<tr><td>${esc(p.name)}</td><td>${p.status === 'ok' ? 'ok' : `<strong>${esc(p.status)} ${esc(p.code)}</strong>`}</td><td>${(p.durationMs / 1000).toFixed(1)} s</td><td>${esc(p.message)}${p.status === 'failed' && p.log ? `<details><summary>output</summary><pre>${esc(p.log)}</pre></details>` : ''}</td></tr>`)
    .join('');
  const load = report.load ? loadSection(report.load) : '';
  return scrollTables(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:">
<title>${esc(`${report.assignment.title} — ${submission.name}`)}</title><style>${STYLE}</style></head>
<body>
<h1>${esc(report.assignment.title)} — ${esc(submission.name)}</h1>
<div class="summary">
<div><strong id="score">${score.points} / ${score.max}</strong><br><span class="muted">points</span></div>
<div><strong id="counts">${CHECK_STATUSES.map((status) => `${count(status)} ${STATUS_LABEL[status]}`).join(' · ')}</strong><br><span class="muted">checks</span></div>
<div><strong>${report.gradable ? 'gradable' : 'NOT gradable (harness failure)'}</strong><br><span class="muted">${esc(submission.source)}${submission.commit ? ` @ ${esc(submission.commit.slice(0, 12))}` : ''}</span></div>
</div>
${howItRan(report).map((line) => `<p class="how">${esc(line)}</p>`).join('')}
${areaTable(report)}
${report.rubric.length ? `<h2>Rubric (suggested)</h2><table id="rubric"><tr><th>Criterion</th><th>Suggested</th><th>Why</th></tr>${report.rubric.map((r) => `<tr><td>${esc(r.title)}</td><td>${esc(r.suggested ?? '— (reviewer)')}</td><td>${esc(r.reasons.join('; '))}${r.reviewerLooksAt.length ? `<br><span class="muted">look at: ${esc(r.reviewerLooksAt.join('; '))}</span>` : ''}</td></tr>`).join('')}</table>` : ''}
${report.prompts.length ? `<h2>Questions for the follow-up</h2><ul>${report.prompts.map((p) => `<li>${esc(p.prompt)} <span class="muted">(${esc(p.source)})</span></li>`).join('')}</ul>` : ''}
${reviews.length > 0 ? scorecardPanel(report, reviews) : ''}
${timeline ? `<h2>Timeline</h2><p class="muted">Each lane is one server instance from launch to stop; bars are its checks (green pass, red fail). Hover for names and times.</p>${timeline}` : ''}
<h2>Phases</h2><table><tr><th>Phase</th><th>Status</th><th>Time</th><th>Detail</th></tr>${phases}</table>
${load}
${securitySection(report.security)}
${report.repo ? repoSection(report.repo) : ''}
<h2>Checks</h2>
<div class="filters">${filters}<span class="muted">showing <span id="shown">${report.checks.length}</span></span></div>
${checks.map(checkCard).join('\n')}
<h2>Environment</h2>
<p class="muted">${esc(`harness ${report.environment.harnessVersion}, Node ${report.environment.nodeVersion}, engine ${report.environment.engineVersion ?? 'unknown'}, image ${report.environment.image.name}${report.environment.image.substituteFor ? ` (offline stand-in for ${report.environment.image.substituteFor})` : ''}; graded ${report.finishedAt} in ${(report.durationMs / 1000).toFixed(1)} s`)}</p>
<script>${SCRIPT}</script>
</body></html>
`);
}

/** One self-contained page: no fetches, readable offline and printable. */
export const htmlRenderer: Renderer = { format: 'html', fileName: 'report.html', render: (report) => renderReportHtml(report) };
