import { parse as parseJunit } from 'junit2json';
import { describe, expect, it } from 'vitest';
import { blindReport } from '../../../reports/blind.ts';
import { feedbackRenderer } from '../../../reports/renderers/feedback-renderer.ts';
import { gradescopeRenderer } from '../../../reports/renderers/gradescope-renderer.ts';
import { htmlRenderer } from '../../../reports/renderers/html-renderer.ts';
import { junitRenderer } from '../../../reports/renderers/junit-renderer.ts';
import { markdownRenderer } from '../../../reports/renderers/markdown-renderer.ts';
import { RENDERERS, renderersFor } from '../../../reports/write-report.ts';
import { sampleReport } from '../../support/sample-report.ts';

describe('renderers', () => {
  const report = sampleReport();

  it('junit.xml is parsed by a JUnit consumer library with the right counts', async () => {
    const parsed = (await parseJunit(junitRenderer.render(report))) as { tests?: number; failures?: number; errors?: number; skipped?: number; testsuite?: Array<{ name?: string; testcase?: Array<{ name?: string; failure?: unknown[] }> }> };
    const applicable = report.checks.filter((check) => check.applies);
    expect(parsed.tests).toBe(applicable.length + report.phases.length);
    expect(parsed.failures).toBe(1);
    expect(parsed.errors).toBe(1);
    expect(parsed.skipped).toBe(applicable.filter((check) => check.status === 'skip' || check.status === 'not_run').length + report.phases.filter((phase) => phase.status === 'skipped').length);
    const rateLimit = parsed.testsuite?.find((suite) => suite.name === 'rate_limit');
    const failed = rateLimit?.testcase?.find((testcase) => testcase.name?.startsWith('rate_limit.boundary'));
    expect(failed?.failure).toBeDefined();
  });

  it('results.json has exactly Gradescope\'s field names', () => {
    const results = JSON.parse(gradescopeRenderer.render(report)) as Record<string, unknown> & { tests: Array<Record<string, unknown>> };
    expect(Object.keys(results).sort()).toEqual(['output', 'score', 'tests', 'visibility']);
    expect(results.score).toBe(report.score.points);
    for (const test of results.tests) expect(Object.keys(test).sort()).toEqual(['max_score', 'name', 'output', 'score', 'status', 'visibility']);
    expect(results.tests.filter((test) => test.status === 'failed').length).toBeGreaterThanOrEqual(2);
  });

  it('feedback.md tells the candidate by area, without hidden check names, requests or thresholds', () => {
    const text = feedbackRenderer.render(report);
    expect(text).toMatch(/## Rate limiting\n\nParts of the rate-limiting behaviour did not match the brief\./);
    expect(text).toMatch(/## Error handling\n\nError responses followed the brief\./);
    for (const check of report.checks) expect(text).not.toContain(check.id);
    expect(text).not.toMatch(/HTTP \d|429|X-API-Key|\/items|\bms\b|budget|evidence/i);
  });

  it('html escapes everything the candidate controls', () => {
    const html = htmlRenderer.render(report);
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/(src|href)="https?:/);
  });

  it('markdown and html list the security findings, most serious first, with what was watched, escaped', () => {
    const withFindings = {
      ...report,
      security: {
        findings: [
          { kind: 'egress-denied' as const, severity: 'serious' as const, where: 'install', summary: '1 connection refused: <script>x</script>.invalid:443', evidence: ['<script>x</script>.invalid:443 connect'], count: 1 },
          { kind: 'lifecycle-script' as const, severity: 'info' as const, where: 'install', summary: 'postinstall runs', evidence: [] },
        ],
        watched: ['egress of install and build through the allowlisting proxy'],
      },
    };
    const markdown = markdownRenderer.render(withFindings);
    expect(markdown).toMatch(/## Security \(what the sandbox saw\)\n- \*\*serious\*\* · egress-denied · install: 1 connection refused/);
    expect(markdown).toMatch(/_Watched:_ egress of install and build/);
    const html = htmlRenderer.render(withFindings);
    expect(html).toContain('<ul id="security"><li><strong>serious</strong>');
    expect(html).not.toContain('<script>x</script>');
    expect(markdownRenderer.render({ ...report, security: { findings: [], watched: [] } })).toMatch(/## Security \(what the sandbox saw\)\nNo findings\.\n\n_Watched:_ nothing\./);
  });

  it('--format picks renderers and refuses unknown names; json is always written', () => {
    expect(renderersFor('md,junit').map((r) => r.fileName)).toEqual(['report.json', 'report.md', 'junit.xml']);
    expect(() => renderersFor('md,pdf')).toThrow(/unknown report format\(s\): pdf/);
  });

  it('blind mode leaves no identifying string in any format', () => {
    const identifying = ['janedoe', 'github.com/janedoe', report.submission.source];
    const blind = blindReport(report, 'candidate-7');
    for (const renderer of RENDERERS) {
      const text = renderer.render(blind);
      for (const secret of identifying) expect(text, `${renderer.format} leaks ${secret}`).not.toContain(secret);
    }
    expect(markdownRenderer.render(blind)).toMatch(/— candidate-7/);
  });

  it('blind mode also hides the source where a message quotes it', () => {
    const quoting = sampleReport();
    const source = '/home/grader/submissions/alice-smith';
    quoting.submission = { ...quoting.submission, name: 'alice-smith', source };
    const fetch = quoting.phases.find((phase) => phase.name === 'fetch');
    if (fetch) Object.assign(fetch, { status: 'failed', code: 'CLONE_FAILED', message: `source not found: ${source}/` });
    const blind = blindReport(quoting, 'candidate-9');
    for (const renderer of RENDERERS) expect(renderer.render(blind), renderer.format).not.toContain('alice-smith');
  });
});

describe('how it ran, at the top of every human-facing format', () => {
  it('names the toolchain, the start command and its source, and a port other than $PORT', async () => {
    const { sampleReport } = await import('../../support/sample-report.ts');
    const { markdownRenderer } = await import('../../../reports/renderers/markdown-renderer.ts');
    const { htmlRenderer } = await import('../../../reports/renderers/html-renderer.ts');
    const { summaryTable } = await import('../../../harness/cli/summary-table.ts');
    const base = sampleReport();
    const report = {
      ...base,
      environment: {
        ...base.environment,
        toolchain: { id: 'node', title: 'Node.js', because: 'found package.json' },
        start: { command: 'node app/index.js', from: 'the Procfile (web:)' },
        port: { expected: 3000, actual: 8080 },
      },
    };
    for (const text of [markdownRenderer.render(report), htmlRenderer.render(report), summaryTable(report)]) {
      expect(text).toContain('node app/index.js');
      expect(text).toContain('Procfile');
      expect(text).toMatch(/Graded on port 8080/);
    }
    const head = markdownRenderer.render(report).split('\n## ')[0] ?? '';
    expect(head).toMatch(/Graded on port 8080/);
  });
});
