import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { HarnessError } from '../../core/errors.ts';
import { SANDBOX_USER } from '../container/container-specs.ts';
import { LABEL_PREFIX, LABELS } from '../labels.ts';
import type { SandboxRuntime } from '../runtime/sandbox-runtime.ts';
import { minbaseRootfs } from './minbase-rootfs.ts';

/** On every image the harness builds: the hash of the recipe it was built from (rebuilt when it differs). */
export const RECIPE_LABEL = `${LABEL_PREFIX}.recipe`;
/** On stand-ins: what the image stands in for, and how it differs from the real one. */
export const STAND_IN_LABEL = `${LABEL_PREFIX}.stand-in`;
/** On stand-ins: the versions of what the recipe installed, read inside the finished root filesystem. */
export const VERSIONS_LABEL = `${LABEL_PREFIX}.versions`;
/**
 * Bumped when what a recipe's fields produce changes (a new cleanup step, another layout),
 * so every harness-built image is rebuilt once.
 */
const RECIPE_FORMAT = 3;

/** A host file or folder copied into the image (e.g. this machine's Go toolchain). */
export interface HostCopy {
  from: string;
  to: string;
  /** Top-level entries of `from` left out (a Go root's own test suite, 60 MB). */
  exclude?: readonly string[];
}

/** What goes on top of the minbase root filesystem. */
export interface ImageRecipe {
  name: string;
  /** This machine's `node` binary in /usr/local/bin. */
  addNode: boolean;
  /** This machine's npm (and npx) beside it; needs addNode. */
  addNpm: boolean;
  /** Debian bookworm packages, apt-get installed (without recommends) inside the root filesystem. */
  packages?: readonly string[];
  /** Host files copied in after the packages. */
  copies?: readonly HostCopy[];
  /** Symlinks made last: `path` → `target` (the official images' `python` beside `python3`). */
  links?: Readonly<Record<string, string>>;
  /**
   * A uid 1000 user of this name, as the official node images have (`node`). The other
   * official images have none, and a stand-in should not be kinder than its original: a
   * JVM without a passwd entry for its uid sees user.home "?".
   */
  user?: string;
  env?: Readonly<Record<string, string>>;
  /** The default command; `sh` when absent (`node` when addNode). */
  cmd?: readonly string[];
  /** Extra image labels; the recipe hash and the managed-image label are always set. */
  labels?: Readonly<Record<string, string>>;
  /**
   * Versions of host things the image copies (`go version`): part of the recipe hash, so
   * an upgrade on the host rebuilds the image. Node's version is always in when addNode.
   */
  hostVersions?: Readonly<Record<string, string>>;
  /** A shell command run in the finished root filesystem; its output goes in VERSIONS_LABEL. */
  versionCommand?: string;
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
 * The hash an image is labelled with: everything in the recipe that decides its content,
 * plus the host's Node version when it copies node. The Debian archive moving on is not
 * in it (bookworm only takes fixes); `--force` picks those up.
 */
export function recipeHash(recipe: ImageRecipe): string {
  const fields = {
    format: RECIPE_FORMAT,
    name: recipe.name,
    node: recipe.addNode ? process.version : null,
    npm: recipe.addNpm,
    // npm comes with corepack beside it (since the stand-in first carried it).
    corepack: recipe.addNpm ? 'with npm' : null,
    packages: [...(recipe.packages ?? [])].sort(),
    copies: recipe.copies ?? [],
    links: recipe.links ?? {},
    user: recipe.user ?? null,
    env: recipe.env ?? {},
    cmd: recipe.cmd ?? null,
    labels: recipe.labels ?? {},
    hostVersions: recipe.hostVersions ?? {},
    versionCommand: recipe.versionCommand ?? null,
  };
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex').slice(0, 16);
}

/**
 * Builds an image without a registry: a minbase bookworm root filesystem from Debian's
 * mirror (debootstrapped once per machine, see minbaseRootfs), the recipe's Debian packages
 * (apt-get in a chroot), this machine's node or other host files, then `import`. Up to
 * date, and so not rebuilt, while its recipe hash label matches, unless `force`.
 */
export async function buildImage(runtime: SandboxRuntime, recipe: ImageRecipe, options: BuildImageOptions): Promise<BuiltImage> {
  const started = performance.now();
  const hash = recipeHash(recipe);
  const existing = await runtime.findImage(recipe.name);
  if (existing && !options.force && existing.labels[RECIPE_LABEL] === hash) {
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
    if (recipe.packages && recipe.packages.length > 0) await installPackages(rootfs, recipe.packages, options.log);
    if (recipe.addNode) await installNode(rootfs, recipe.addNpm);
    for (const copy of recipe.copies ?? []) await copyFromHost(rootfs, copy, options.log);
    for (const [link, target] of Object.entries(recipe.links ?? {})) {
      await mkdir(path.dirname(path.join(rootfs, link)), { recursive: true });
      await rm(path.join(rootfs, link), { force: true });
      await symlink(target, path.join(rootfs, link));
    }
    if (recipe.user) {
      const { uid, gid } = SANDBOX_USER;
      for (const args of [['groupadd', '-g', String(gid), recipe.user], ['useradd', '-u', String(uid), '-g', recipe.user, '-s', '/bin/sh', '-m', recipe.user]]) {
        await execa('chroot', [rootfs, ...args]);
      }
    }
    const versions = recipe.versionCommand ? await readVersions(rootfs, recipe.versionCommand) : null;
    // The image is a runtime, not a build host: drop what only apt and readers of docs need.
    for (const dir of ['var/cache/apt', 'var/lib/apt/lists', 'usr/share/doc', 'usr/share/man', 'usr/share/locale']) {
      await rm(path.join(rootfs, dir), { recursive: true, force: true });
    }
    options.log(`importing ${recipe.name}`);
    // GNU tar, as for the base tarball: it keeps owners, modes and hard links as they are
    // (node-tar stalled the import on perl's hard-linked binaries). Docker provides /dev at
    // run time, so device nodes stay out.
    const tar = execa('tar', ['--numeric-owner', '-C', rootfs, '--exclude=./dev/*', '-cf', '-', '.'], { buffer: false });
    // Settled here so a failed import (which stops reading) never leaves it unhandled.
    const tarDone = tar.then(() => null, (error: unknown) => error);
    const importing = runtime.importImage(tar.stdout, {
      name: recipe.name,
      env: {
        PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin',
        ...(recipe.addNode ? { NODE_VERSION: process.version.slice(1) } : {}),
        ...recipe.env,
      },
      labels: {
        ...recipe.labels,
        ...(versions ? { [VERSIONS_LABEL]: versions } : {}),
        ...(recipe.addNode ? { [LABELS.nodeVersion]: process.version } : {}),
        [RECIPE_LABEL]: hash,
        [LABELS.image]: 'true',
      },
      cmd: recipe.cmd ? [...recipe.cmd] : recipe.addNode ? ['node'] : ['sh'],
    });
    // An import that fails stops reading: tar would wait on its pipe for ever.
    const image = await importing.catch((error: unknown) => {
      tar.kill();
      throw error;
    });
    const tarError = await tarDone;
    if (tarError) throw new HarnessError(`tar of ${recipe.name}'s root filesystem failed: ${tarError instanceof Error ? tarError.message : String(tarError)}`);
    return { name: recipe.name, id: image.id, built: true, durationMs: performance.now() - started };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/**
 * apt-get inside the root filesystem. /proc is mounted for the maintainer scripts that run
 * programs (ca-certificates-java runs a JVM); the host's resolv.conf lets apt resolve the
 * mirror; a policy-rc.d keeps any package from starting a service on the build host.
 */
async function installPackages(rootfs: string, packages: readonly string[], log: (line: string) => void): Promise<void> {
  log(`apt-get install ${packages.join(' ')}`);
  const resolv = path.join(rootfs, 'etc/resolv.conf');
  const original = await readFile(resolv).catch(() => null);
  await rm(resolv, { force: true });
  await copyFile('/etc/resolv.conf', resolv);
  const policy = path.join(rootfs, 'usr/sbin/policy-rc.d');
  await writeFile(policy, '#!/bin/sh\nexit 101\n', { mode: 0o755 });
  const proc = path.join(rootfs, 'proc');
  await mkdir(proc, { recursive: true });
  await execa('mount', ['-t', 'proc', 'proc', proc]);
  try {
    const env = { DEBIAN_FRONTEND: 'noninteractive', LC_ALL: 'C', PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' };
    await execa('chroot', [rootfs, 'apt-get', 'update', '-qq'], { env, timeout: 300_000 });
    await execa('chroot', [rootfs, 'apt-get', 'install', '-y', '-qq', '--no-install-recommends', ...packages], { env, timeout: 900_000 });
    await execa('chroot', [rootfs, 'apt-get', 'clean'], { env });
  } catch (error) {
    const detail = error instanceof Error && 'stderr' in error ? String(error.stderr).slice(-2000) : String(error);
    throw new HarnessError(`apt-get install ${packages.join(' ')} in the image's root filesystem failed: ${detail}`);
  } finally {
    // Lazy: a maintainer script that left a process behind must not keep the build hanging.
    await execa('umount', ['-l', proc], { reject: false });
    await rm(policy, { force: true });
    await rm(resolv, { force: true });
    if (original) await writeFile(resolv, original);
  }
}

async function copyFromHost(rootfs: string, copy: HostCopy, log: (line: string) => void): Promise<void> {
  log(`copying ${copy.from} to ${copy.to}`);
  const target = path.join(rootfs, copy.to);
  await mkdir(path.dirname(target), { recursive: true });
  // cp -a keeps modes, links and timestamps (a Go root's prebuilt tools must stay executable).
  await execa('cp', ['-a', copy.from, target]);
  for (const entry of copy.exclude ?? []) await rm(path.join(target, entry), { recursive: true, force: true });
}

async function readVersions(rootfs: string, command: string): Promise<string> {
  const proc = path.join(rootfs, 'proc');
  await execa('mount', ['-t', 'proc', 'proc', proc]);
  try {
    const result = await execa('chroot', [rootfs, 'sh', '-c', command], { reject: false, env: { PATH: '/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LC_ALL: 'C', HOME: '/tmp' } });
    // eslint-disable-next-line no-control-regex
    return `${result.stdout}\n${result.stderr}`.replace(/\u001b\[[0-9;]*m/g, '').split('\n').map((line) => line.trim()).filter(Boolean).join('; ').slice(0, 500);
  } finally {
    await execa('umount', ['-l', proc], { reject: false });
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
  // Corepack ships with Node (as in the official image): it fetches the pnpm or Yarn a
  // project's packageManager field names, so those lockfiles install as the candidate's did.
  const corepack = path.join(npmRoot.trim(), 'corepack');
  if (existsSync(corepack)) {
    await cp(corepack, path.join(lib, 'corepack'), { recursive: true, verbatimSymlinks: true });
    await symlink('../lib/node_modules/corepack/dist/corepack.js', path.join(bin, 'corepack'));
  }
}
