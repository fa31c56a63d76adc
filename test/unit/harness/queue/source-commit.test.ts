import { mkdtemp, mkdir, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../../../../harness/assignment/load-assignment.ts';
import { PACKAGE_ROOT } from '../../../../harness/paths.ts';
import { assignmentSpec } from '../../../../harness/queue/enqueue.ts';
import { formatQueueStatus } from '../../../../harness/queue/queue-status.ts';
import { sourceCommit } from '../../../../harness/queue/source-commit.ts';

describe('sourceCommit', () => {
  it('fingerprints a plain folder by its files, ignoring node_modules and .git, and changes when a file does', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tg-commit-'));
    await writeFile(path.join(dir, 'server.js'), 'a');
    const first = await sourceCommit(dir, null);
    expect(first).toMatch(/^files:[0-9a-f]{16}$/);
    await mkdir(path.join(dir, 'node_modules'));
    await writeFile(path.join(dir, 'node_modules', 'x.js'), 'x');
    expect(await sourceCommit(dir, null)).toBe(first);
    await writeFile(path.join(dir, 'server.js'), 'ab');
    const later = new Date(Date.now() + 5_000);
    await utimes(path.join(dir, 'server.js'), later, later);
    expect(await sourceCommit(dir, null)).not.toBe(first);
  });

  it('names a local repository by its HEAD and a URL at a full SHA by that SHA', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tg-commit-'));
    const git = (...args: string[]) => execa('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd: dir });
    await git('init', '-q');
    await writeFile(path.join(dir, 'a.txt'), 'a');
    await git('add', '.');
    await git('commit', '-qm', 'a');
    expect(await sourceCommit(dir, null)).toBe((await git('rev-parse', 'HEAD')).stdout.trim());
    expect(await sourceCommit('https://example.invalid/a/b.git', 'A'.repeat(40))).toBe('a'.repeat(40));
  });
});

describe('assignmentSpec', () => {
  it('sends a built-in assignment by id and a local one by its manifest\'s absolute path', async () => {
    expect(assignmentSpec(await loadAssignment('rate-limited-items'))).toBe('rate-limited-items');
    expect(assignmentSpec(await loadAssignment(path.join(PACKAGE_ROOT, 'test/fixtures/assignments/quick')))).toBe(path.join(PACKAGE_ROOT, 'test/fixtures/assignments/quick/assignment.yaml'));
  });
});

describe('formatQueueStatus', () => {
  it('shows running jobs with engine, phase and elapsed time, and failed ones with their reason', () => {
    const text = formatQueueStatus({
      waiting: [{ candidate: 'ann', key: 'g-1', waitedMs: 1_500, retry: true }],
      running: [{ candidate: 'bo', key: 'g-2', engine: 'b', worker: 'h:1', phase: 'checks', elapsedMs: 30_000, phaseMs: 4_000 }],
      done: [{ candidate: 'cy', key: 'g-3', score: '40/40', gradable: true, engine: 'a', attempt: 2, waitedMs: 10 }],
      failed: [{ candidate: 'di', key: 'g-4', reason: 'not graded: repository not found', attempts: 1 }],
      unreadable: [],
    });
    expect(text.split('\n')[0]).toBe('waiting 1 · running 1 · done 1 · failed 1');
    expect(text).toContain('  ann  for 1.5 s  (retry)');
    expect(text).toContain('  bo  on b (h:1)  checks 4.0 s  elapsed 30.0 s');
    expect(text).toContain('  cy  40/40  on a  (attempt 2)');
    expect(text).toContain('  di  not graded: repository not found');
  });
});
