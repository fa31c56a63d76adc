import { LABELS } from './labels.ts';
import type { LabelledObject, SandboxRuntime } from './runtime/sandbox-runtime.ts';

export interface Removed {
  containers: number;
  volumes: number;
  networks: number;
}

/**
 * Removes every container (running or not) and then every volume and network carrying all
 * of the given labels (and the harness's own). `keep` can spare objects, e.g. those of
 * harness processes still alive. Containers go first: a volume still mounted or a network
 * with a container attached cannot be removed.
 */
export async function removeLabelled(
  runtime: SandboxRuntime,
  labels: Record<string, string>,
  keep: (objectLabels: Record<string, string>) => boolean = () => false,
): Promise<Removed> {
  const doomed = (await runtime.listObjects({ [LABELS.managed]: 'true', ...labels })).filter((object) => !keep(object.labels));
  const remove = async (kind: LabelledObject['kind']) => {
    const results = await Promise.allSettled(doomed.filter((object) => object.kind === kind).map((object) => runtime.removeObject(object)));
    return results.filter((result) => result.status === 'fulfilled').length;
  };
  const containers = await remove('container');
  const [volumes, networks] = await Promise.all([remove('volume'), remove('network')]);
  return { containers, volumes, networks };
}
