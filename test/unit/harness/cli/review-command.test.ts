import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { PACKAGE_ROOT } from '../../../../harness/paths.ts';
import { GRADER_BIN, runCli } from '../../../support/run-cli.ts';
import { sampleReport } from '../../../support/sample-report.ts';

describe('grader review', () => {
  it('two reviewers with different levels: the scorecard flags the disagreement', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tg-review-'));
    const report = sampleReport();
    report.rubric = [
      { criterion: 'system-design', title: 'System Design', automated: true, suggested: 'meets', reasons: [], evidenceRefs: [], reviewerLooksAt: [] },
      { criterion: 'security-data', title: 'Security & Data', automated: true, suggested: 'exceeds', reasons: [], evidenceRefs: [], reviewerLooksAt: [] },
    ];
    await writeFile(path.join(dir, 'report.json'), JSON.stringify(report));

    const first = await runCli(['review', dir, '--reviewer', 'ana', '--level', 'system-design=meets', '--level', 'security-data=exceeds', '--recommend', 'advance']);
    expect(first.exitCode, first.all).toBe(0);
    let scorecard = await readFile(path.join(dir, 'scorecard.md'), 'utf8');
    expect(scorecard).toMatch(/Only 1 review\./);

    const second = await runCli(['review', dir, '--reviewer', 'bo', '--level', 'system-design=below', '--level', 'security-data=exceeds', '--recommend', 'reject', '--reason', 'shallow-design', '--note', 'system-design=keys the limiter on a global']);
    expect(second.exitCode, second.all).toBe(0);
    scorecard = await readFile(path.join(dir, 'scorecard.md'), 'utf8');
    expect(scorecard).not.toMatch(/Only \d review/);
    expect(scorecard).toMatch(/\| System Design \| meets \| meets \| below \| \*\*DISAGREE\*\* — discuss \|/);
    expect(scorecard).toMatch(/\| Security & Data \| exceeds \| exceeds \| exceeds \| agree \|/);
    expect(scorecard).toMatch(/\*\*bo\*\*: reject \(reason: shallow-design\)/);
    expect(scorecard).toMatch(/The recommendations differ/);
    const html = await readFile(path.join(dir, 'report.html'), 'utf8');
    expect(html).toMatch(/<h2>Scorecard<\/h2>/);
    expect(html).toMatch(/<td>System Design<\/td><td>meets<\/td><td>meets<\/td><td>below<\/td><td><strong>DISAGREE<\/strong><\/td>/);
    const saved = JSON.parse(await readFile(path.join(dir, 'reviews/bo.json'), 'utf8')) as { criteria: Array<{ note: string }> };
    expect(saved.criteria[0]?.note).toBe('keys the limiter on a global');
  });

  it('a reject without a reason is refused when there is no terminal to ask on', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tg-review-'));
    const report = sampleReport();
    report.rubric = [];
    await writeFile(path.join(dir, 'report.json'), JSON.stringify(report));
    const result = await runCli(['review', dir, '--reviewer', 'cy', '--recommend', 'reject']);
    expect(result.exitCode).toBe(2);
    expect(result.all).toMatch(/Primary reason: not given/);
  });
});

/** A report folder whose rubric has one criterion, system-design, suggested "meets". */
async function reportWithOneCriterion(): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tg-review-'));
  const report = sampleReport();
  report.rubric = [{ criterion: 'system-design', title: 'System Design', automated: true, suggested: 'meets', reasons: [], evidenceRefs: [], reviewerLooksAt: [] }];
  await writeFile(path.join(dir, 'report.json'), JSON.stringify(report));
  return dir;
}

describe('grader review on a terminal (a pseudo-terminal, answered as a person would)', () => {
  const drive = (answers: string[], args: string[]) =>
    execa('python3', [path.join(PACKAGE_ROOT, 'test/support/pty-drive.py'), JSON.stringify(answers), 'node', GRADER_BIN, ...args], { reject: false, all: true, timeout: 90_000 });

  it('re-asks an invalid answer with the choices, and Enter takes the suggested level', async () => {
    const dir = await reportWithOneCriterion();
    // "great" is refused and re-asked; then Enter (the suggestion); a note; an invalid and then a valid recommendation.
    const result = await drive(['great', '', 'solid limiter', 'maybe', 'advance'], ['review', dir, '--reviewer', 'dee']);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.all).toMatch(/"great" is not a choice: type one of exceeds, meets, below/);
    expect(result.all).toMatch(/\[exceeds\/meets \(Enter\)\/below\]/);
    expect(result.all).toMatch(/"maybe" is not a choice/);
    const saved = JSON.parse(await readFile(path.join(dir, 'reviews/dee.json'), 'utf8')) as { criteria: Array<{ level: string; note: string }>; recommendation: string };
    expect(saved.criteria[0]).toMatchObject({ level: 'meets', note: 'solid limiter' });
    expect(saved.recommendation).toBe('advance');
  }, 90_000);

  it('Ctrl-D at a prompt ends the review without saving it, and without an internal error', async () => {
    const dir = await reportWithOneCriterion();
    const result = await drive(['<ctrl-d>'], ['review', dir, '--reviewer', 'hal']);
    expect(result.exitCode).toBe(130);
    expect(result.all).toMatch(/review aborted; nothing was saved/);
    expect(result.all).not.toMatch(/internal error/);
  }, 90_000);

  it('a criterion the rubric does not have, or a reason without a reject, is refused', async () => {
    const dir = await reportWithOneCriterion();
    const typo = await runCli(['review', dir, '--reviewer', 'ivy', '--level', 'sytem-design=meets', '--recommend', 'advance']);
    expect(typo.exitCode).toBe(2);
    expect(typo.all).toMatch(/no criterion "sytem-design" in this report's rubric \(criteria: system-design\)/);
    const reason = await runCli(['review', dir, '--reviewer', 'ivy', '--level', 'system-design=meets', '--recommend', 'advance', '--reason', 'other']);
    expect(reason.exitCode).toBe(2);
    expect(reason.all).toMatch(/--reason is for a reject/);
  });

  it('a level given as a flag must be one of the levels', async () => {
    const dir = await reportWithOneCriterion();
    const result = await runCli(['review', dir, '--reviewer', 'eve', '--level', 'system-design=great', '--recommend', 'advance']);
    expect(result.exitCode).toBe(2);
    expect(result.all).toMatch(/"great" is not one of exceeds, meets, below/);
  });

  it('the scorecard counts a differing recommendation as a disagreement', async () => {
    const dir = await reportWithOneCriterion();
    await runCli(['review', dir, '--reviewer', 'fay', '--level', 'system-design=meets', '--recommend', 'advance']);
    await runCli(['review', dir, '--reviewer', 'gus', '--level', 'system-design=meets', '--recommend', 'unsure']);
    const scorecard = await readFile(path.join(dir, 'scorecard.md'), 'utf8');
    expect(scorecard).toMatch(/Disagreement on 0 criteria and the recommendation\./);
    expect(scorecard).not.toMatch(/The reviewers agree/);
  });
});
