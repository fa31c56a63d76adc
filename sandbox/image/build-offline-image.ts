import { cp, mkdir, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { execa } from 'execa';
import { create as createTar } from 'tar';
import { HarnessError } from '../../core/errors.ts';
import type { Engine } from '../engine.ts';
import { LABELS } from '../labels.ts';
import { offlineImageName } from './resolve-image.ts';

export interface OfflineImageOptions {
  /** The image this one stands in for; only Debian bookworm + Node is supported. */
  configured: string;
  mirror: string;
  force: boolean;
  log: (line: string) => void;
}

export interface OfflineImageResult {
  name: string;
  id: string;
  built: boolean;
  durationMs: number;
}

const NODE_VERSION_LABEL = 'io.takehome-grader.node-version';

/**
 * Builds a stand-in for node:20-bookworm-slim without a registry: a minbase bookworm
 * rootfs from Debian's mirror, this machine's node and npm, and a `node` user (uid 1000)
 * as in the official image. Cached: rebuilt only when the host's node changes or --force.
 */
export async function buildOfflineImage(docker: Engine, options: OfflineImageOptions): Promise<OfflineImageResult> {
  const started = performance.now();
  const name = offlineImageName(options.configured);
  const existing = await docker.getImage(name).inspect().catch(() => null);
  if (existing && !options.force && existing.Config?.Labels?.[NODE_VERSION_LABEL] === process.version) {
    return { name, id: existing.Id, built: false, durationMs: performance.now() - started };
  }
  if (process.getuid?.() !== 0) {
    throw new HarnessError('building the offline image needs root (debootstrap and chroot); run it as root or pull the image');
  }
  const debootstrap = await execa('debootstrap', ['--version'], { reject: false });
  if (debootstrap.failed) throw new HarnessError('debootstrap is not installed: apt-get install -y debootstrap');

  const work = await mkdtemp(path.join(tmpdir(), 'tg-image-'));
  const rootfs = path.join(work, 'rootfs');
  try {
    options.log(`debootstrap --variant=minbase bookworm (${options.mirror})`);
    await execa('debootstrap', ['--variant=minbase', 'bookworm', rootfs, options.mirror], { timeout: 600_000 });
    await installNode(rootfs);
    for (const args of [['groupadd', '-g', '1000', 'node'], ['useradd', '-u', '1000', '-g', 'node', '-s', '/bin/sh', '-m', 'node']]) {
      await execa('chroot', [rootfs, ...args]);
    }
    // The image is a runtime, not a build host: drop what only apt and readers of docs need.
    for (const dir of ['var/cache/apt', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/locale']) {
      await rm(path.join(rootfs, dir), { recursive: true, force: true });
    }
    options.log('importing the root filesystem');
    // Docker provides /dev at run time; node-tar also stalls on device nodes, so skip them.
    const tarball = Readable.from(createTar({ cwd: rootfs, portable: false, filter: (entry) => !entry.startsWith('./dev/') }, ['.']));
    const changes = [
      'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
      `ENV NODE_VERSION=${process.version.slice(1)}`,
      `LABEL ${NODE_VERSION_LABEL}=${process.version}`,
      `LABEL ${LABELS.managed}.image=true`,
      'CMD ["node"]',
    ];
    const [repo, tag] = splitName(name);
    const stream = await docker.importImage(tarball, { repo, tag, changes });
    await new Promise<void>((resolve, reject) =>
      docker.modem.followProgress(stream, (error) => (error ? reject(error) : resolve())),
    );
    const inspected = await docker.getImage(name).inspect();
    return { name, id: inspected.Id, built: true, durationMs: performance.now() - started };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

async function installNode(rootfs: string): Promise<void> {
  const { stdout: npmRoot } = await execa('npm', ['root', '-g']);
  const bin = path.join(rootfs, 'usr/local/bin');
  const lib = path.join(rootfs, 'usr/local/lib/node_modules');
  await mkdir(bin, { recursive: true });
  await mkdir(lib, { recursive: true });
  await cp(process.execPath, path.join(bin, 'node'));
  await cp(path.join(npmRoot.trim(), 'npm'), path.join(lib, 'npm'), { recursive: true, verbatimSymlinks: true });
  await symlink('../lib/node_modules/npm/bin/npm-cli.js', path.join(bin, 'npm'));
  await symlink('../lib/node_modules/npm/bin/npx-cli.js', path.join(bin, 'npx'));
}

function splitName(name: string): [string, string] {
  const at = name.lastIndexOf(':');
  return at > name.lastIndexOf('/') ? [name.slice(0, at), name.slice(at + 1)] : [name, 'latest'];
}
