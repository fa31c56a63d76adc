import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { GRADER_BIN, runCli } from '../../../support/run-cli.ts';

// Bad input is answered before any sandbox work, so these need no Docker engine.
describe('grader grade: bad input exits 2 with one line and no stack trace', () => {
  it('unknown source path', async () => {
    const result = await runCli(['grade', '/definitely/not/here']);
    expect(result.exitCode).toBe(2);
    expect(result.all.trim()).toBe('grader: source not found: /definitely/not/here');
  });

  it('unknown assignment id', async () => {
    const result = await runCli(['grade', '.', '--assignment', 'no-such-exercise']);
    expect(result.exitCode).toBe(2);
    expect(result.all.trim().split('\n')).toHaveLength(1);
    expect(result.all).toMatch(/unknown assignment "no-such-exercise"/);
  });

  it('malformed manifest names the field and what was expected', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tg-manifest-'));
    await writeFile(path.join(dir, 'assignment.yaml'), 'id: bad-one\nversion: "1"\ntitle: Bad\nruntime:\n  port: "3000a"\n');
    const result = await runCli(['grade', '.', '--assignment', dir]);
    expect(result.exitCode).toBe(2);
    expect(result.all.trim().split('\n')).toHaveLength(1);
    expect(result.all).toMatch(/runtime\.port: expected integer 1\.\.65535/);
    expect(result.all).not.toMatch(/at .*\.ts:\d+/);
  });

  it('a custom check that does not compile: one line, and the process exits at once', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tg-custom-'));
    await writeFile(path.join(dir, 'assignment.yaml'), 'id: broken-check\nversion: "1"\ntitle: Broken\n');
    await mkdir(path.join(dir, 'checks'));
    await writeFile(path.join(dir, 'checks', 'bad.ts'), 'export const bad = {;\n');
    const started = performance.now();
    const result = await runCli(['grade', '.', '--assignment', dir]);
    expect(result.exitCode).toBe(2);
    expect(result.all.trim().split('\n')).toHaveLength(1);
    expect(result.all).toMatch(/custom check .*bad\.ts does not load/);
    // The grading's 900 s deadline timer once held the process open after this error.
    expect(performance.now() - started).toBeLessThan(60_000);
  });

  it('option-looking sources are refused, not passed to git', async () => {
    const result = await runCli(['grade', '--', '--upload-pack=touch /tmp/pwned']);
    expect(result.exitCode).toBe(2);
    expect(result.all).toMatch(/looks like an option|source not found/);
  });

  it('unknown flag is bad usage', async () => {
    const result = await runCli(['grade', '.', '--frobnicate']);
    expect(result.exitCode).toBe(2);
    expect(result.all).toMatch(/unknown option/);
  });
});

describe('the edges a user touches: refused before any grading, one line, exit 2, nothing lost', () => {
  const submission = async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tg-sub-'));
    await writeFile(path.join(dir, 'package.json'), '{"name":"x"}');
    return dir;
  };
  const oneLine = (result: { exitCode?: number; all?: string }) => {
    expect(result.exitCode).toBe(2);
    expect(result.all?.trim().split('\n')).toHaveLength(1);
    expect(result.all).not.toMatch(/at .*\.(ts|js):\d+/);
  };

  it('--out onto an earlier report is refused without --force, and the report is untouched', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'tg-out-'));
    await writeFile(path.join(out, 'report.json'), '{"kept": true}');
    const result = await runCli(['grade', await submission(), '--out', out]);
    oneLine(result);
    expect(result.all).toMatch(/already holds a report: pass --force/);
    expect(await readFile(path.join(out, 'report.json'), 'utf8')).toBe('{"kept": true}');
  });

  it('--out naming a file, or a place that cannot be created', async () => {
    const file = path.join(await mkdtemp(path.join(tmpdir(), 'tg-out-')), 'report.txt');
    await writeFile(file, 'x');
    const onFile = await runCli(['grade', await submission(), '--out', file]);
    oneLine(onFile);
    expect(onFile.all).toMatch(/is a file, not a folder/);
    const started = performance.now();
    const nowhere = await runCli(['grade', await submission(), '--out', '/proc/nope/x']);
    oneLine(nowhere);
    expect(nowhere.all).toMatch(/--out \/proc\/nope\/x: cannot create the folder/);
    expect(performance.now() - started).toBeLessThan(30_000);
  });

  it('an empty or unknown format list', async () => {
    oneLine(await runCli(['grade', await submission(), '--format', '']));
    const unknown = await runCli(['grade', await submission(), '--format', 'json,pdf']);
    oneLine(unknown);
    expect(unknown.all).toMatch(/unknown report format\(s\): pdf/);
  });

  it('an ssh:// or http:// URL is the operator\'s mistake: no report is written, credentials are not echoed', async () => {
    const cwd = await mkdtemp(path.join(tmpdir(), 'tg-cwd-'));
    for (const url of ['ssh://git@example.com/a/b.git', 'http://bob:s3cret@example.com/a/b.git']) {
      const result = await runCli(['grade', url], { cwd });
      oneLine(result);
      expect(result.all).toMatch(/only https:\/\/ \(or file:\/\/\) git URLs are accepted/);
      expect(result.all).not.toMatch(/s3cret/);
    }
    expect(await readdir(cwd)).toEqual([]);
  });

  it('validate --only with an unknown subject names the subjects there are', async () => {
    const result = await runCli(['assignment', 'validate', 'rate-limited-items', '--only', 'nosuch']);
    expect(result.exitCode).toBe(2);
    expect(result.all).toMatch(/--only: no subject "nosuch" in rate-limited-items \(subjects: reference, /);
  });

  it('assignment new refuses a built-in id', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tg-new-'));
    const result = await runCli(['assignment', 'new', 'rate-limited-items', '--dir', dir]);
    oneLine(result);
    expect(result.all).toMatch(/is the id of a built-in assignment/);
    expect(await readdir(dir)).toEqual([]);
  });

  it('review of a corrupt report.json names the file', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tg-review-'));
    await writeFile(path.join(dir, 'report.json'), '{"schemaVersion": 3, "trunc');
    const result = await runCli(['review', dir, '--reviewer', 'ann']);
    oneLine(result);
    expect(result.all).toMatch(/report\.json is not valid JSON/);
  });
});

describe('grader action refuses to grade the repository its own workflow runs in', () => {
  it.each(['.', '', '..', '/etc'])('candidate-path %j is refused in one line', async (candidatePath) => {
    const ws = await mkdtemp(path.join(tmpdir(), 'tg-ws-'));
    const result = await execa('node', [GRADER_BIN, 'action'], { env: { GITHUB_WORKSPACE: ws, INPUT_CANDIDATE_PATH: candidatePath }, reject: false, all: true });
    expect(result.exitCode).toBe(2);
    expect(result.all?.trim().split('\n')).toHaveLength(1);
    expect(result.all).toMatch(/never grades the repository its own workflow runs in/);
  });
});

describe('--force replaces a report folder, never a folder that holds anything else', () => {
  it('refuses --out . --force in a project folder, and moves nothing', async () => {
    const project = await mkdtemp(path.join(tmpdir(), 'tg-project-'));
    await writeFile(path.join(project, 'report.json'), '{}');
    await writeFile(path.join(project, 'notes.txt'), 'mine');
    const sub = await mkdtemp(path.join(tmpdir(), 'tg-sub-'));
    const result = await runCli(['grade', sub, '--out', '.', '--force'], { cwd: project });
    expect(result.exitCode).toBe(2);
    expect(result.all).toMatch(/holds files that are not a report \(notes\.txt\)/);
    expect((await readdir(project)).sort()).toEqual(['notes.txt', 'report.json']);
  });
});
