import { link, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { list } from 'tar';
import { describe, expect, it } from 'vitest';
import { PackLimitError, packPlan, planPack } from '../../../../sandbox/copy/pack-directory.ts';

async function tree(): Promise<string> {
  const root = await mkdtemp(path.join(tmpdir(), 'tg-pack-'));
  await writeFile(path.join(root, 'package.json'), '{}');
  await mkdir(path.join(root, 'src/deep'), { recursive: true });
  await writeFile(path.join(root, 'src/deep/a.js'), 'a');
  await writeFile(path.join(root, 'setuid.sh'), '#!/bin/sh', { mode: 0o4755 });
  await symlink('/etc/passwd', path.join(root, 'passwd-link'));
  await symlink('..', path.join(root, 'src/up'));
  await writeFile(path.join(root, 'original.txt'), 'o');
  await link(path.join(root, 'original.txt'), path.join(root, 'hardlink.txt'));
  await mkdir(path.join(root, '.git/hooks'), { recursive: true });
  await writeFile(path.join(root, '.git/hooks/post-checkout'), 'evil');
  await mkdir(path.join(root, 'node_modules/x'), { recursive: true });
  await writeFile(path.join(root, 'node_modules/x/index.js'), 'x');
  return root;
}

describe('planPack', () => {
  it('takes regular files and directories only, and says what it left out', async () => {
    const plan = await planPack(await tree(), { ignoreTopLevel: ['node_modules'] });
    expect(plan.entries).toEqual(['.', 'package.json', 'setuid.sh', 'src', 'src/deep', 'src/deep/a.js']);
    expect(plan.dropped.sort()).toEqual([
      'hardlink.txt: hard link',
      'original.txt: hard link',
      'passwd-link: symlink',
      'src/up: symlink',
    ]);
    expect(plan.files).toBe(3);
  });

  it('skips a top-level name only when asked, and .git at any depth always', async () => {
    const root = await tree();
    await mkdir(path.join(root, 'src/.git'), { recursive: true });
    await writeFile(path.join(root, 'src/.git/config'), 'evil');
    await mkdir(path.join(root, 'src/node_modules'), { recursive: true });
    await writeFile(path.join(root, 'src/node_modules/y.js'), 'y');
    const all = await planPack(root);
    expect(all.entries).toEqual(expect.arrayContaining(['node_modules', 'node_modules/x', 'node_modules/x/index.js']));
    const ignoring = await planPack(root, { ignoreTopLevel: ['node_modules'] });
    expect(ignoring.entries.filter((entry) => entry.startsWith('node_modules'))).toEqual([]);
    // Only the top level: a nested folder of the same name is the submission's own.
    expect(ignoring.entries).toContain('src/node_modules/y.js');
    for (const plan of [all, ignoring]) expect(plan.entries.filter((entry) => entry.split('/').includes('.git'))).toEqual([]);
  });

  it('stops at the file-count, size and depth caps', async () => {
    const root = await tree();
    await expect(planPack(root, { limits: { maxFiles: 2, maxBytes: 1e9, maxDepth: 32 } })).rejects.toThrow(PackLimitError);
    await expect(planPack(root, { limits: { maxFiles: 100, maxBytes: 5, maxDepth: 32 } })).rejects.toThrow(/MiB/);
    await expect(planPack(root, { limits: { maxFiles: 100, maxBytes: 1e9, maxDepth: 1 } })).rejects.toThrow(/nesting/);
  });
});

describe('packPlan', () => {
  it('writes a tar under the prefix, owned by the sandbox user, without setuid bits', async () => {
    const root = await tree();
    const plan = await planPack(root, { ignoreTopLevel: ['node_modules'] });
    const entries: Array<{ path: string; uid?: number; mode?: number; type: string }> = [];
    const chunks: Buffer[] = [];
    for await (const chunk of packPlan(root, plan, 'app', { uid: 1000, gid: 1000 })) chunks.push(chunk as Buffer);
    const dir = await mkdtemp(path.join(tmpdir(), 'tg-tar-'));
    await writeFile(path.join(dir, 'out.tar'), Buffer.concat(chunks));
    await list({ file: path.join(dir, 'out.tar'), onReadEntry: (entry) => entries.push({ path: entry.path, uid: entry.uid, mode: entry.mode, type: entry.type }) });
    expect(entries.map((e) => e.path)).toEqual(['app/', 'app/package.json', 'app/setuid.sh', 'app/src/', 'app/src/deep/', 'app/src/deep/a.js']);
    expect(new Set(entries.map((e) => e.uid))).toEqual(new Set([1000]));
    expect(new Set(entries.map((e) => e.type))).toEqual(new Set(['Directory', 'File']));
    expect((entries.find((e) => e.path === 'app/setuid.sh')?.mode ?? 0) & 0o7000).toBe(0);
  });
});
