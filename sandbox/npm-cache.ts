import type { Engine } from './engine.ts';
import { SANDBOX_USER } from './container/container-specs.ts';

export const NPM_CACHE_VOLUME = 'takehome-grader-npm-cache';
export const NPM_CACHE_MOUNT = '/npm-cache';
const CACHE_LABEL = 'io.takehome-grader.cache';

/**
 * A named volume shared by every install, so the second install of a lockfile reads
 * tarballs locally. npm verifies each tarball against the lockfile's integrity hash on
 * read (cacache is content-addressed), so a submission that scribbles in the cache cannot
 * hand the next candidate a different package: it can only cost a re-download. Not
 * labelled as a job object, so the reaper leaves it alone; `docker volume rm` resets it.
 */
export async function ensureNpmCache(docker: Engine, image: string): Promise<string> {
  const existing = await docker.getVolume(NPM_CACHE_VOLUME).inspect().catch(() => null);
  if (existing) return NPM_CACHE_VOLUME;
  await docker.createVolume({ Name: NPM_CACHE_VOLUME, Labels: { [CACHE_LABEL]: 'npm' } });
  // A fresh volume is root-owned; hand it to the sandbox user once. Only CHOWN is granted.
  const container = await docker.createContainer({
    Image: image,
    Cmd: ['chown', `${SANDBOX_USER.uid}:${SANDBOX_USER.gid}`, NPM_CACHE_MOUNT],
    User: '0:0',
    Labels: { [CACHE_LABEL]: 'setup' },
    HostConfig: {
      NetworkMode: 'none',
      CapDrop: ['ALL'],
      CapAdd: ['CHOWN'],
      SecurityOpt: ['no-new-privileges'],
      ReadonlyRootfs: true,
      Mounts: [{ Type: 'volume', Source: NPM_CACHE_VOLUME, Target: NPM_CACHE_MOUNT }],
    },
  });
  try {
    await container.start();
    await container.wait();
  } finally {
    await container.remove({ force: true }).catch(() => undefined);
  }
  return NPM_CACHE_VOLUME;
}
