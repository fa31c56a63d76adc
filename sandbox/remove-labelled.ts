import type { Engine } from './engine.ts';
import { LABELS } from './labels.ts';

export interface Removed {
  containers: number;
  volumes: number;
}

/**
 * Removes every container (running or not) and then every volume carrying all of the
 * given labels. `keep` can spare objects, e.g. those of harness processes still alive.
 */
export async function removeLabelled(
  docker: Engine,
  labels: Record<string, string>,
  keep: (objectLabels: Record<string, string>) => boolean = () => false,
): Promise<Removed> {
  const filters = { label: [`${LABELS.managed}=true`, ...Object.entries(labels).map(([key, value]) => `${key}=${value}`)] };
  const containers = await docker.listContainers({ all: true, filters });
  const doomed = containers.filter((info) => !keep(info.Labels ?? {}));
  await Promise.all(
    doomed.map((info) => docker.getContainer(info.Id).remove({ force: true, v: true }).catch(() => undefined)),
  );
  const { Volumes: volumes } = await docker.listVolumes({ filters });
  const doomedVolumes = (volumes ?? []).filter((info) => !keep(info.Labels ?? {}));
  await Promise.all(doomedVolumes.map((info) => docker.getVolume(info.Name).remove().catch(() => undefined)));
  return { containers: doomed.length, volumes: doomedVolumes.length };
}
