import { existsSync } from 'node:fs';
import { Readable } from 'node:stream';
import { mkdir, mkdtemp, rm, symlink, copyFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { create as createTar } from 'tar';
import type { SandboxRuntime } from '../../sandbox/runtime/sandbox-runtime.ts';

export const STATIC_IMAGE = 'takehome-grader-test/busybox:static';
const BUSYBOX = '/bin/busybox';
const APPLETS = ['sh', 'httpd', 'true', 'sleep', 'cat', 'ls'];

/**
 * An image with nothing but a static busybox (from Debian's busybox-static, which
 * scripts/setup.sh installs): no node, no npm, no libc. Built once per engine.
 */
export async function ensureStaticImage(runtime: SandboxRuntime): Promise<string> {
  if (await runtime.findImage(STATIC_IMAGE, { pull: false })) return STATIC_IMAGE;
  if (!existsSync(BUSYBOX)) throw new Error(`${BUSYBOX} is missing: apt-get install busybox-static (scripts/setup.sh does)`);
  const dir = await mkdtemp(path.join(tmpdir(), 'tg-static-'));
  try {
    await mkdir(path.join(dir, 'bin'), { recursive: true });
    await mkdir(path.join(dir, 'tmp'), { recursive: true });
    await copyFile(BUSYBOX, path.join(dir, 'bin/busybox'));
    for (const applet of APPLETS) await symlink('busybox', path.join(dir, 'bin', applet));
    const tarball = Readable.from(createTar({ cwd: dir, portable: true }, ['bin', 'tmp']));
    await runtime.importImage(tarball, { name: STATIC_IMAGE, env: { PATH: '/bin' } });
    return STATIC_IMAGE;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
