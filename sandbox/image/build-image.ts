import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { execa } from 'execa';
import { create as createTar } from 'tar';
import { HarnessError } from '../../core/errors.ts';
import { SANDBOX_USER } from '../container/container-specs.ts';
import { LABELS } from '../labels.ts';
import type { SandboxRuntime } from '../runtime/sandbox-runtime.ts';
import { minbaseRootfs } from './minbase-rootfs.ts';

/** What goes on top of the minbase root filesystem. */
export interface ImageRecipe {
  name: string;
  /** This machine's `node` binary in /usr/local/bin. */
  addNode: boolean;
  /** This machine's npm (and npx) beside it; needs addNode. */
  addNpm: boolean;
  /** Extra image labels; the managed-image and node-version labels are always set. */
  labels?: Record<string, string>;
}

export interface BuildImageOptions {
  mirror: string;
  force: boolean;
  log: (line: string) => void;
}

export interface BuiltImage {
  name: string;
  id: string;
  built: boolean;
  durationMs: number;
}

/**
 * Builds an image without a registry: a minbase bookworm root filesystem from Debian's
 * mirror (debootstrapped once per machine, see minbaseRootfs), this machine's node (and npm
 * when asked), and a user with the sandbox uid (1000), then `import`. Up to date, and so
 * not rebuilt, while it carries the host's Node version, unless `force`.
 */
export async function buildImage(runtime: SandboxRuntime, recipe: ImageRecipe, options: BuildImageOptions): Promise<BuiltImage> {
  const started = performance.now();
  const existing = await runtime.findImage(recipe.name);
  if (existing && !options.force && existing.labels[LABELS.nodeVersion] === process.version) {
    return { name: recipe.name, id: existing.id, built: false, durationMs: performance.now() - started };
  }
  if (process.getuid?.() !== 0) {
    throw new HarnessError(`building ${recipe.name} needs root (debootstrap and chroot); run it as root`);
  }
  const debootstrap = await execa('debootstrap', ['--version'], { reject: false });
  if (debootstrap.failed) throw new HarnessError('debootstrap is not installed: apt-get install -y debootstrap');

  const work = await mkdtemp(path.join(tmpdir(), 'tg-image-'));
  const rootfs = path.join(work, 'rootfs');
  try {
    await minbaseRootfs(rootfs, options);
    if (recipe.addNode) await installNode(rootfs, recipe.addNpm);
    const { uid, gid } = SANDBOX_USER;
    for (const args of [['groupadd', '-g', String(gid), 'node'], ['useradd', '-u', String(uid), '-g', 'node', '-s', '/bin/sh', '-m', 'node']]) {
      await execa('chroot', [rootfs, ...args]);
    }
    // The image is a runtime, not a build host: drop what only apt and readers of docs need.
    for (const dir of ['var/cache/apt', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/locale']) {
      await rm(path.join(rootfs, dir), { recursive: true, force: true });
    }
    options.log(`importing ${recipe.name}`);
    // Docker provides /dev at run time; node-tar also stalls on device nodes, so skip them.
    const tarball = Readable.from(createTar({ cwd: rootfs, portable: false, filter: (entry) => !entry.startsWith('./dev/') }, ['.']));
    const image = await runtime.importImage(tarball, {
      name: recipe.name,
      env: {
        PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        ...(recipe.addNode ? { NODE_VERSION: process.version.slice(1) } : {}),
      },
      labels: { ...recipe.labels, [LABELS.nodeVersion]: process.version, [LABELS.image]: 'true' },
      cmd: recipe.addNode ? ['node'] : ['sh'],
    });
    return { name: recipe.name, id: image.id, built: true, durationMs: performance.now() - started };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function installNode(rootfs: string, withNpm: boolean): Promise<void> {
  const bin = path.join(rootfs, 'usr/local/bin');
  await mkdir(bin, { recursive: true });
  await cp(process.execPath, path.join(bin, 'node'));
  if (!withNpm) return;
  const { stdout: npmRoot } = await execa('npm', ['root', '-g']);
  const lib = path.join(rootfs, 'usr/local/lib/node_modules');
  await mkdir(lib, { recursive: true });
  await cp(path.join(npmRoot.trim(), 'npm'), path.join(lib, 'npm'), { recursive: true, verbatimSymlinks: true });
  await symlink('../lib/node_modules/npm/bin/npm-cli.js', path.join(bin, 'npm'));
  await symlink('../lib/node_modules/npm/bin/npx-cli.js', path.join(bin, 'npx'));
}
