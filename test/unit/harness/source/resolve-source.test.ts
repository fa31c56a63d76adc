import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { UsageError } from '../../../../core/errors.ts';
import { resolveSource } from '../../../../harness/source/resolve-source.ts';

let repo: string;
let mainSha: string;
let featureSha: string;

async function git(cwd: string, ...args: string[]): Promise<string> {
  const { stdout } = await execa('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', ...args], { cwd });
  return stdout.trim();
}

beforeAll(async () => {
  repo = await mkdtemp(path.join(tmpdir(), 'tg-src-'));
  await git(repo, 'init', '-q', '-b', 'main');
  await writeFile(path.join(repo, 'package.json'), '{"name":"x"}');
  await git(repo, 'add', '.');
  await git(repo, 'commit', '-qm', 'first');
  mainSha = await git(repo, 'rev-parse', 'HEAD');
  await git(repo, 'checkout', '-qb', 'feature');
  await writeFile(path.join(repo, 'feature.txt'), 'f');
  await git(repo, 'add', '.');
  await git(repo, 'commit', '-qm', 'feature');
  featureSha = await git(repo, 'rev-parse', 'HEAD');
  await git(repo, 'checkout', '-q', 'main');
});

describe('resolveSource', () => {
  it('a local git repo is graded in place and records HEAD', async () => {
    const source = await resolveSource(repo, null);
    expect(source).toMatchObject({ kind: 'git-repo', root: repo, commit: mainSha });
  });

  it('a plain directory has no commit', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tg-plain-'));
    expect(await resolveSource(dir, null)).toMatchObject({ kind: 'directory', commit: null });
  });

  it('a git URL is cloned shallow at the default branch', async () => {
    const source = await resolveSource(`file://${repo}`, null);
    try {
      expect(source.kind).toBe('git-url');
      expect(source.commit).toBe(mainSha);
      expect(source.root).not.toBe(repo);
      const { stdout } = await execa('git', ['rev-list', '--count', 'HEAD'], { cwd: source.root });
      expect(stdout.trim()).toBe('1');
    } finally {
      await source.cleanup();
    }
  });

  it('a git URL at a branch, and at a full commit SHA', async () => {
    for (const ref of ['feature', featureSha]) {
      const source = await resolveSource(`file://${repo}`, ref);
      try {
        expect(source.commit).toBe(featureSha);
        expect(source.ref).toBe(ref);
      } finally {
        await source.cleanup();
      }
    }
  });

  it('an unknown ref or an unreachable URL is a one-line UsageError', async () => {
    await expect(resolveSource(`file://${repo}`, 'no-such-branch')).rejects.toThrow(UsageError);
    await expect(resolveSource(`file://${repo}`, 'no-such-branch')).rejects.toThrow(/cannot clone .* at no-such-branch/);
    await expect(resolveSource('file:///nonexistent/repo.git', null)).rejects.toThrow(/cannot clone/);
  });

  it('refuses option-looking sources, transport helpers, ssh and odd refs', async () => {
    await expect(resolveSource('--upload-pack=touch /tmp/x', null)).rejects.toThrow(/looks like an option/);
    await expect(resolveSource('ext::sh -c touch% /tmp/x', null)).rejects.toThrow(/transport helpers/);
    await expect(resolveSource('ssh://git@example.com/repo.git', null)).rejects.toThrow(/only https/);
    await expect(resolveSource(`file://${repo}`, '--output=/tmp/x')).rejects.toThrow(/refusing ref/);
  });
});
