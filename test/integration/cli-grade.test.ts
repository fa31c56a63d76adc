import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { reportSchema } from '../../core/report.ts';
import { REFERENCE, FIXTURES, leftovers } from '../support/grade-fixture.ts';
import { GRADER_BIN, runCli } from '../support/run-cli.ts';
import { connectRuntime } from '../../sandbox/docker/docker-runtime.ts';
import { LABELS, PID_NAMESPACE } from '../../sandbox/labels.ts';

describe('grader grade (the CLI, real Docker)', () => {
  it('grades the reference: exit 0, summary table, report.json + report.md in --out', async () => {
    const out = path.join(await mkdtemp(path.join(tmpdir(), 'tg-cli-')), 'report');
    const result = await runCli(['grade', 'assignments/rate-limited-items/reference', '--out', out]);
    expect(result.exitCode, result.all).toBe(0);
    expect(result.stdout).toMatch(/score \d+\/\d+ · gradable/);
    expect(result.stdout).toContain(`report: ${path.join(out, 'report.md')}`);
    expect((await readdir(out)).sort()).toEqual(['grader.log', 'report.html', 'report.json', 'report.md']);
    const report = reportSchema.parse(JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8')));
    expect(report.checks.filter((check) => check.tier === 'must' && check.status !== 'pass' && check.status !== 'skip')).toEqual([]);
    expect(await readFile(path.join(out, 'report.md'), 'utf8')).toMatch(/^# Rate-limited items API — reference/);
  });

  it('--json prints the report itself, and a git URL records the cloned commit', async () => {
    const repo = await mkdtemp(path.join(tmpdir(), 'tg-repo-'));
    const git = (...args: string[]) => execa('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: repo });
    await execa('cp', ['-r', `${REFERENCE}/.`, repo]);
    await git('init', '-q', '-b', 'main');
    await git('add', '.');
    await git('commit', '-qm', 'solution');
    const sha = (await git('rev-parse', 'HEAD')).stdout.trim();
    const out = await mkdtemp(path.join(tmpdir(), 'tg-cli-'));
    const result = await runCli(['grade', `file://${repo}`, '--ref', 'main', '--out', out, '--json']);
    expect(result.exitCode, result.stderr).toBe(0);
    const report = reportSchema.parse(JSON.parse(result.stdout));
    expect(report.submission).toMatchObject({ kind: 'git-url', commit: sha, ref: 'main' });
    expect(report.checks.filter((check) => check.tier === 'must' && check.status !== 'pass' && check.status !== 'skip')).toEqual([]);
    expect(report.repo?.commits).toMatchObject({ count: 1, timeline: 'single-commit' });
  });

  it('an unknown ref exits 2 with one line on stderr', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'tg-cli-'));
    const result = await runCli(['grade', `file://${FIXTURES}/does-not-exist.git`, '--out', out]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toMatch(/^grader: cannot clone/);
  });

  it('SIGINT mid-grading removes every container and volume of that run', async () => {
    const out = await mkdtemp(path.join(tmpdir(), 'tg-cli-'));
    const child = execa('node', [GRADER_BIN, 'grade', path.join(FIXTURES, 'never-listens'), '--out', out], { reject: false });
    const runtime = connectRuntime();
    // The child's label: host, pid and PID namespace (the same as ours: a child process shares it).
    const instance = `${(await import('node:os')).hostname()}:${child.pid}:${PID_NAMESPACE}`;
    const mine = async () =>
      (await runtime.listObjects({ [LABELS.instance]: instance, [LABELS.role]: 'candidate' })).filter((object) => object.kind === 'container');
    // Under a full suite the child may queue for minutes behind other files' load probes (the
    // machine lock is shared across processes) before it starts the candidate: wait for the
    // container itself, or for the child to end, not for a fixed time.
    let exited = false;
    void child.finally(() => {
      exited = true;
    });
    const giveUpAt = Date.now() + 8 * 60_000;
    while (!exited && Date.now() < giveUpAt && (await mine()).length === 0) await new Promise((r) => setTimeout(r, 250));
    expect(exited, 'the child ended before it started the candidate').toBe(false);
    expect((await mine()).length).toBe(1);
    child.kill('SIGINT');
    const result = await child;
    expect(result.exitCode).toBe(130);
    expect(await runtime.listObjects({ [LABELS.instance]: instance })).toEqual([]);
    expect((await leftovers()).containers.filter((name) => name.includes('never'))).toEqual([]);
  }, 10 * 60_000);
});

describe('grader doctor', () => {
  it('reports the engine and the image as ok', async () => {
    const result = await runCli(['doctor']);
    // Queue tests running beside this file SIGKILL workers on purpose: their containers are
    // leftovers for up to one lease. Nothing else may fail.
    const failed = result.stdout.split('\n').filter((line) => line.startsWith('FAIL') && !/^FAIL\s+leftovers\s/.test(line));
    expect(failed, result.all).toEqual([]);
    expect([0, 1], result.all).toContain(result.exitCode);
    // The sandbox's memory and pids caps need the engine's cgroup controllers.
    expect(result.stdout).toMatch(/^(ok|info)\s+limits\s+cgroup v\d \(\w+\): memory yes, pids yes/m);
    expect(result.stdout).toMatch(/^ok\s+image\s+/m);
  });

  it('--engines checks every engine of a pool and names the one that is wrong', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tg-doctor-'));
    const pool = path.join(dir, 'engines.yaml');
    await writeFile(pool, 'engines:\n  - { name: here, host: "unix:///var/run/docker.sock", slots: 2 }\n  - { name: gone, host: "unix:///run/tg-no-such-engine.sock", slots: 1 }\n');
    const result = await runCli(['doctor', '--engines', pool]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/^ok\s+here: engine\s+Docker \d+/m);
    expect(result.stdout).toMatch(/^ok\s+here: helper\s+/m);
    expect(result.stdout).toMatch(/^FAIL\s+gone: engine\s+not reachable at unix:\/\/\/run\/tg-no-such-engine\.sock/m);
  });
});
