import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { execa } from 'execa';
import { cacheDir } from '../cache-dir.ts';

const SUITE = 'bookworm';

/**
 * A `debootstrap --variant=minbase bookworm` root filesystem extracted into `target`. The
 * debootstrap (the slow, networked part) runs once per machine: its result is kept as a
 * tarball under the cache folder, so each further image starts from a copy. Delete that
 * file to fetch a fresh one. GNU tar keeps owners, modes, device nodes and hard links.
 */
export async function minbaseRootfs(target: string, options: { mirror: string; log: (line: string) => void }): Promise<void> {
  const tarball = cacheDir('rootfs', `debian-${SUITE}-minbase.tar`);
  if (!(await stat(tarball).catch(() => null))?.isFile()) {
    options.log(`debootstrap --variant=minbase ${SUITE} (${options.mirror}); kept in ${tarball}`);
    await execa('debootstrap', ['--variant=minbase', SUITE, target, options.mirror], { timeout: 600_000 });
    await mkdir(path.dirname(tarball), { recursive: true });
    // Written aside and renamed: an interrupted build never leaves a torn cache behind.
    const partial = `${tarball}.${process.pid}.partial`;
    try {
      await execa('tar', ['--numeric-owner', '-C', target, '-cf', partial, '.']);
      await rename(partial, tarball);
    } finally {
      await rm(partial, { force: true });
    }
    return;
  }
  options.log(`base root filesystem from ${tarball}`);
  await mkdir(target, { recursive: true });
  await execa('tar', ['--numeric-owner', '-C', target, '-xpf', tarball]);
}
