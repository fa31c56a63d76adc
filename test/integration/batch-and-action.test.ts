import { cp, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../../harness/assignment/load-assignment.ts';
import { runBatch, type BatchEvent } from '../../harness/batch/run-batch.ts';
import { PACKAGE_ROOT } from '../../harness/paths.ts';
import { connectRuntime } from '../../sandbox/docker/docker-runtime.ts';
import { FIXTURES, REFERENCE } from '../support/grade-fixture.ts';
import { GRADER_BIN } from '../support/run-cli.ts';

const QUICK = path.join(PACKAGE_ROOT, 'test/fixtures/assignments/quick');

describe('grader batch (real Docker)', () => {
  it('grades a roster in parallel, writes sorted summaries, and a rerun skips complete reports', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tg-batch-'));
    const roster = path.join(dir, 'roster.csv');
    await writeFile(roster, `candidate,source\nref-solution,${REFERENCE}\nbroken,${path.join(FIXTURES, 'broken-install')}\n`);
    const out = path.join(dir, 'out');
    const assignment = await loadAssignment(QUICK);
    const events: BatchEvent[] = [];
    const deps = { runtime: connectRuntime(), logger: pino({ level: 'silent' }) };
    const first = await runBatch({ rosterFile: roster, outDir: out, assignment, concurrency: 2, skipInvalid: false, onEvent: (e) => events.push(e) }, deps);
    expect(first.map((row) => row.report?.score.points)).toEqual([first[0]?.report?.score.max, 0]);
    expect(events.filter((e) => e.kind === 'phase' && e.candidate === 'ref-solution').map((e) => (e.kind === 'phase' ? e.phase : ''))).toEqual([
      'prepare', 'fetch', 'install', 'build', 'repo', 'start', 'checks', 'load',
    ]);
    const csv = (await readFile(path.join(out, 'summary.csv'), 'utf8')).trim().split('\n');
    expect(csv[0]).toMatch(/^candidate,score,max,percent,must_startup/);
    expect(csv[1]).toMatch(/^ref-solution,/);
    expect(csv[2]).toMatch(/^broken,0,/);
    expect(await readFile(path.join(out, 'summary.md'), 'utf8')).toMatch(/\| ref-solution \| \d+\/\d+ .*\[report\]\(ref-solution\/report\.md\)/);

    const again: BatchEvent[] = [];
    await runBatch({ rosterFile: roster, outDir: out, assignment, concurrency: 2, skipInvalid: false, onEvent: (e) => again.push(e) }, deps);
    expect(again.filter((e) => e.kind === 'skipped').map((e) => e.candidate).sort()).toEqual(['broken', 'ref-solution']);
  });

  it('refuses a roster with bad rows, naming each line, and grades none', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tg-batch-'));
    const roster = path.join(dir, 'roster.csv');
    await writeFile(roster, 'candidate,source\nok,./x\n,./y\n');
    const result = await execa('node', [GRADER_BIN, 'batch', roster, '--assignment', QUICK, '--out', path.join(dir, 'out')], { reject: false });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/line 3: candidate/);
  });
});

describe('grader action (the GitHub Action entry point, real Docker)', () => {
  /** A grading repository's workspace with the candidate's repository checked out in candidate/. */
  async function workspace(from: string): Promise<{ ws: string; sha: string }> {
    const ws = await mkdtemp(path.join(tmpdir(), 'tg-ws-'));
    const dir = path.join(ws, 'candidate');
    await cp(from, dir, { recursive: true });
    const git = (...args: string[]) => execa('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir });
    await git('init', '-q', '-b', 'main');
    await git('add', '.');
    await git('commit', '-qm', 'candidate');
    return { ws, sha: (await git('rev-parse', 'HEAD')).stdout.trim() };
  }

  it('writes a summary without check names, the outputs, feedback and Classroom result, and an artifact name with the commit', async () => {
    const { ws, sha } = await workspace(REFERENCE);
    const temp = await mkdtemp(path.join(tmpdir(), 'tg-runner-'));
    const env = {
      GITHUB_WORKSPACE: ws,
      GITHUB_STEP_SUMMARY: path.join(temp, 'summary.md'),
      GITHUB_OUTPUT: path.join(temp, 'outputs'),
      RUNNER_TEMP: temp,
      INPUT_ASSIGNMENT: QUICK,
      INPUT_CANDIDATE: 'alice/takehome',
      INPUT_EXPECTED_SHA: sha,
      INPUT_FAIL_UNDER: '90',
    };
    const result = await execa('node', [GRADER_BIN, 'action'], { env, reject: false });
    expect(result.exitCode, result.stderr).toBe(0);
    // % is escaped as %25 in workflow commands; GitHub shows it as %.
    expect(result.stdout).toMatch(/^::notice title=takehome-grader::quick-rate-limited-items: (\d+)\/\1 points \(100\.0%25\)$/m);
    expect(result.stdout).not.toMatch(/::warning/);
    const outputs = Object.fromEntries((await readFile(env.GITHUB_OUTPUT, 'utf8')).trim().split('\n').map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]));
    expect(outputs).toMatchObject({ gradable: 'true', 'report-dir': path.join(temp, 'takehome-grader-report'), 'artifact-name': `takehome-grader-alice-takehome-${sha.slice(0, 12)}` });
    const report = JSON.parse(await readFile(path.join(temp, 'takehome-grader-report/report.json'), 'utf8')) as { submission: { commit: string }; score: { max: number }; checks: Array<{ id: string }> };
    expect(report.submission.commit).toBe(sha);
    const classroom = JSON.parse(Buffer.from(outputs.result ?? '', 'base64').toString('utf8')) as { version: number; status: string; max_score: number };
    expect(classroom).toMatchObject({ version: 1, status: 'pass', max_score: report.score.max });
    expect(await readFile(outputs['feedback-file'] ?? '', 'utf8')).toMatch(/^# Feedback on your submission/);
    const summary = await readFile(env.GITHUB_STEP_SUMMARY, 'utf8');
    expect(summary).toMatch(/^## Rate-limited items API \(quick test\) — /);
    for (const check of report.checks) expect(summary).not.toContain(check.id);
    expect(summary).not.toContain(ws);
  });

  it('fails the job under fail-under, with an error annotation, and warns when the checkout is not the expected commit', async () => {
    const { ws } = await workspace(path.join(FIXTURES, 'broken-install'));
    const temp = await mkdtemp(path.join(tmpdir(), 'tg-runner-'));
    const result = await execa('node', [GRADER_BIN, 'action'], {
      env: { GITHUB_WORKSPACE: ws, RUNNER_TEMP: temp, INPUT_ASSIGNMENT: QUICK, INPUT_FAIL_UNDER: '50', INPUT_EXPECTED_SHA: 'abcdef1' },
      reject: false,
    });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^::error title=takehome-grader::score 0\.0%25 is under fail-under 50%25$/m);
    expect(result.stdout).toMatch(/^::warning title=takehome-grader::graded [0-9a-f]{40}, but expected-sha is abcdef1/m);
  });
});
