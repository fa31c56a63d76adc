import { howItRan } from '../how-it-ran.ts';
import { loadTraffic } from '../load-traffic.ts';
import type { Renderer } from '../renderer.ts';
import type { CheckResult, CheckStatus, Evidence, Report } from '../../core/report.ts';
import { areaVerdict, byStatusRank, statusCounts, tallyByArea, type AreaVerdict } from '../by-area.ts';

const STATUS_MARK: Record<CheckStatus, string> = { pass: '✅ pass', fail: '❌ fail', error: '⚠️ error', not_run: '⏸️ not run', skip: '⏭️ skip' };
const VERDICT_MARK: Record<AreaVerdict, string> = { pass: '✅', fail: '❌', incomplete: '⚠️ incomplete' };

/** Text in a table cell: no pipes or newlines that would break the row. */
function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');
}

/** A code block whose fence is longer than any backtick run inside, so content cannot close it. */
function code(text: string, lang = ''): string {
  const longest = Math.max(2, ...[...text.matchAll(/`+/g)].map((match) => match[0].length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}${lang}\n${text}\n${fence}`;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function renderExchange(entry: Evidence, index: number): string {
  const lines: string[] = [];
  const title = entry.request ? `${entry.request.method} ${entry.request.path}` : 'note';
  lines.push(`**${index + 1}. ${cell(title)}**${entry.note ? ` — ${cell(entry.note)}` : ''}${entry.durationMs !== undefined ? ` (${Math.round(entry.durationMs)} ms)` : ''}`);
  if (entry.request && (entry.request.headers || entry.request.body !== undefined)) {
    const head = Object.entries(entry.request.headers ?? {}).map(([name, value]) => `${name}: ${value}`);
    lines.push(code([...head, ...(entry.request.body !== undefined ? ['', entry.request.body] : [])].join('\n'), 'http'));
  }
  if (entry.response) {
    const { status, headers, body, bodyBytes, bodyTruncated } = entry.response;
    const head = [`HTTP ${status}`, ...Object.entries(headers).map(([name, value]) => `${name}: ${value}`)];
    const tail = bodyTruncated ? `\n… (${bodyBytes} bytes in all)` : '';
    lines.push(code(`${head.join('\n')}\n\n${body}${tail}`, 'http'));
  }
  if (entry.error) lines.push(`→ ${cell(entry.error)}`);
  if (!entry.request && entry.note === undefined && entry.error === undefined) lines.push('(empty)');
  return lines.join('\n\n');
}

/** Exchanges shown per check in the markdown: the first ones, shortened; report.json and report.html keep them all. */
const MD_EXCHANGES = { pass: 0, skip: 1, fail: 3, error: 2, not_run: 1 } satisfies Record<CheckStatus, number>;
const MD_BODY_LINES = 24;

/** A response or request body cut to a readable length, saying where the rest is. */
function shorten(entry: Evidence): Evidence {
  if (!entry.response) return entry;
  const lines = entry.response.body.split('\n');
  if (lines.length <= MD_BODY_LINES && entry.response.body.length <= 2000) return entry;
  const body = `${lines.slice(0, MD_BODY_LINES).join('\n').slice(0, 2000)}\n… (shortened here; whole in report.json)`;
  return { ...entry, response: { ...entry.response, body } };
}

function renderCheck(check: CheckResult): string {
  const parts = [
    `### ${STATUS_MARK[check.status]} — ${check.title}`,
    `\`${check.id}\` · ${check.tier} · ${check.points}/${check.maxPoints} pts · ${seconds(check.durationMs)}`,
    `**Result:** ${check.message}`,
    `**Accepted:** ${check.accepted}  \n**Standard:** ${check.standard}`,
  ];
  const shown = check.evidence.slice(0, MD_EXCHANGES[check.status]);
  const rest = check.evidence.length - shown.length + check.evidenceOmitted;
  const more = rest > 0 ? `\n\n_${rest} more ${rest === 1 ? 'entry' : 'entries'} in [report.json](report.json) and report.html (check \`${check.id}\`)._` : '';
  if (shown.length > 0) {
    parts.push(`<details><summary>Evidence (${shown.length} of ${check.evidence.length + check.evidenceOmitted})</summary>\n\n${shown.map(shorten).map(renderExchange).join('\n\n')}${more}\n\n</details>`);
  } else if (rest > 0) {
    parts.push(more.trim());
  }
  return parts.join('\n\n');
}

function renderLoad(load: NonNullable<Report['load']>): string {
  const { measurement: m, baseline, ratios, cpusets } = load;
  const f = (value: number) => value.toFixed(1);
  const rows = m.runs.map(
    (run, index) =>
      `| ${index + 1} | ${run.rps.toFixed(0)} | ${f(run.latencyMs.p50)} | ${f(run.latencyMs.p90)} | ${f(run.latencyMs.p95)} | ${f(run.latencyMs.p99)} | ${f(run.latencyMs.max)} | ${run.errors} | ${run.timeouts} | ${Object.entries(run.non2xx).map(([status, count]) => `${count}×${status}`).join(' ') || '—'} |`,
  );
  const lines = [
    '## Load',
    `\`GET ${m.settings.path}\` with ${m.settings.connections} connections (${loadTraffic(m.settings)}), ${m.runs.length} runs of ${m.settings.durationS} s after ${m.settings.warmupS} s of warm-up, over ${m.seeded} seeded items. Closed loop (no request rate, so no coordinated-omission correction applies); latencies are exact percentiles over 2xx answers; errors and non-2xx are counted apart. Server on CPU ${cpusets.candidate ?? 'any'}, load generator on CPU ${cpusets.prober ?? 'any'}.`,
    ['| Run | req/s | p50 ms | p90 ms | p95 ms | p99 ms | max ms | errors | timeouts | non-2xx |', '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |', ...rows].join('\n'),
    `**Median:** ${m.median.rps.toFixed(0)} req/s, p95 ${f(m.median.latencyMs.p95)} ms; spread across runs: p95 ×${m.spread.p95.toFixed(2)}, req/s ×${m.spread.rps.toFixed(2)}.${m.stopReason ? ` Stopped after ${m.stopReason}.` : ''}`,
  ];
  if (m.calibration) {
    lines.push(`**Machine:** calibration ${m.calibration.beforeMs.toFixed(1)} ms before, ${m.calibration.afterMs.toFixed(1)} ms after (×${m.calibration.drift.toFixed(2)}).${load.busyMachine ? ` **${load.busyMachine}.**` : ' Quiet throughout.'}`);
  }
  if (baseline && ratios) {
    lines.push(`**Against ${baseline.comparable ? 'a solution of the same framework family' : 'the reference, another framework family (information only)'}** (${baseline.source}): throughput ${ratios.rps.toFixed(2)}×, p95 ${ratios.p95.toFixed(2)}× (reference: ${baseline.rps.toFixed(0)} req/s, p95 ${f(baseline.p95)} ms).`);
  }
  return lines.join('\n\n');
}

function render(report: Report): string {
  const out: string[] = [];
  const { submission, score } = report;
  out.push(`# ${report.assignment.title} — ${submission.name}`);
  out.push(
    [
      `**Score:** ${score.points} / ${score.max}`,
      `**Gradable:** ${report.gradable ? 'yes' : 'no — the harness failed, not the candidate; rerun'}`,
      `**Source:** \`${submission.source}\`${submission.commit ? ` @ \`${submission.commit.slice(0, 12)}\`` : ''}`,
      `**Assignment:** ${report.assignment.id} v${report.assignment.version}`,
      `**Graded:** ${report.finishedAt} in ${seconds(report.durationMs)}`,
      ...howItRan(report).map((line) => `**${line.slice(0, line.indexOf(':'))}:**${cell(line.slice(line.indexOf(':') + 1))}`),
    ].join('  \n'),
  );

  out.push('## Verdict by area');
  out.push(
    [
      '| Area | Checks passed | Points | Other outcomes |',
      '| --- | --- | --- | --- |',
      ...tallyByArea(report).map((entry) => {
        const others = statusCounts({ ...entry.counts, pass: 0 });
        return `| ${entry.area} | ${VERDICT_MARK[areaVerdict(entry)]} ${entry.passed}/${entry.checks.length} | ${entry.points}/${entry.maxPoints} | ${others || '—'} |`;
      }),
    ].join('\n'),
  );

  out.push('## Phases');
  out.push(
    [
      '| Phase | Status | Time | Detail |',
      '| --- | --- | --- | --- |',
      ...report.phases.map((phase) => `| ${phase.name} | ${phase.status === 'ok' ? 'ok' : `**${phase.status}** ${phase.code}`} | ${seconds(phase.durationMs)} | ${cell(phase.message)} |`),
    ].join('\n'),
  );
  for (const phase of report.phases.filter((p) => p.status === 'failed' && p.log)) {
    out.push(`<details open><summary>Output of ${phase.name} (head and tail)</summary>\n\n${code(phase.log ?? '')}\n\n</details>`);
  }

  if (report.rubric.length > 0) {
    out.push('## Rubric (suggested levels — the reviewer decides)');
    out.push(
      [
        '| Criterion | Suggested | Why |',
        '| --- | --- | --- |',
        ...report.rubric.map((r) => `| ${cell(r.title)} | ${r.suggested ?? '— (reviewer)'} | ${cell([...r.reasons, ...(r.reviewerLooksAt.length ? [`look at: ${r.reviewerLooksAt.join('; ')}`] : [])].join('; '))} |`),
      ].join('\n'),
    );
  }
  if (report.prompts.length > 0) {
    out.push('## Questions for the follow-up interview');
    out.push(report.prompts.map((p) => `- ${p.prompt} _(from \`${p.source}\`)_`).join('\n'));
  }
  if (report.repo) {
    const { tests, readme, files, commits } = report.repo;
    out.push('## Repository signals');
    out.push(
      [
        `- own tests: ${tests.detail}`,
        `- README: ${readme.present ? `${readme.words} words; setup/run instructions ${readme.hasSetup ? 'yes' : 'no'}; design/trade-offs section ${readme.hasTradeoffs ? 'yes' : 'no'}` : 'missing'}`,
        `- commits: ${commits.note}${commits.afterDeadline ? `; ${commits.afterDeadline} after the deadline` : ''}`,
        `- files: lockfile ${files.lockfile ? 'yes' : 'no'}, TypeScript ${files.typescript ? 'yes' : 'no'}, linter ${files.linter ? 'yes' : 'no'}, Dockerfile ${files.dockerfile ? 'yes' : 'no'} (information)`,
      ].join('\n'),
    );
  }
  if (report.load) out.push(renderLoad(report.load));
  out.push(renderSecurity(report.security));

  const ordered = [...report.checks].sort(byStatusRank);
  out.push('## Checks');
  out.push(ordered.map(renderCheck).join('\n\n'));

  const env = report.environment;
  out.push('## Environment');
  out.push(
    [
      `harness ${env.harnessVersion} on Node ${env.nodeVersion}; Docker engine ${env.engineVersion ?? 'unknown'}`,
      `image \`${env.image.name}\`${env.image.substituteFor ? ` (offline stand-in for \`${env.image.substituteFor}\`)` : ''} ${env.image.id ? `\`${env.image.id.slice(0, 19)}\`` : ''}`,
      `limits: ${env.limits.memoryMb} MiB, ${env.limits.cpus} CPU, ${env.limits.pids} processes; no network at run time`,
    ].join('  \n'),
  );
  if (submission.dropped.length > 0) {
    out.push(`Left out of the sandbox copy: ${submission.dropped.slice(0, 20).map((d) => `\`${cell(d)}\``).join(', ')}${submission.dropped.length > 20 ? ` and ${submission.dropped.length - 20} more` : ''}`);
  }
  return `${out.join('\n\n')}\n`;
}

export const markdownRenderer: Renderer = { format: 'md', fileName: 'report.md', render };

/** Findings first (facts, most serious first), then what was watched: a clean list means something only beside it. */
function renderSecurity(security: Report['security']): string {
  const lines = ['## Security (what the sandbox saw)'];
  if (security.findings.length === 0) lines.push('No findings.');
  for (const finding of security.findings) {
    lines.push(`- **${finding.severity}** · ${finding.kind} · ${finding.where}: ${finding.summary}`);
    if (finding.evidence.length > 0) lines.push(`  <details><summary>evidence</summary>\n\n${code(finding.evidence.join('\n'))}\n\n  </details>`);
  }
  lines.push(`\n_Watched:_ ${security.watched.join('; ') || 'nothing'}.`);
  return lines.join('\n');
}
