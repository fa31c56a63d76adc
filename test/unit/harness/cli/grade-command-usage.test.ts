import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../../support/run-cli.ts';

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
