import Docker from 'dockerode';
import type { Readable } from 'node:stream';
import type {
  ContainerHandle,
  ContainerSpec,
  EngineStatus,
  ImageInfo,
  ImportSpec,
  LabelledObject,
  NetworkCreateSpec,
  SandboxRuntime,
  VolumeSpec,
} from '../runtime/sandbox-runtime.ts';
import { containerOptions } from './container-options.ts';
import { DockerContainer } from './docker-container.ts';
import { importRootfs, inspectImage, loadImage, pullImage, saveImage } from './docker-images.ts';
import { probeDocker } from './probe-docker.ts';
import { volumeOptions } from './volume-options.ts';

/** The sandbox runtime on a Docker engine: the one place that speaks dockerode. */
export class DockerRuntime implements SandboxRuntime {
  readonly kind = 'docker';

  constructor(
    private readonly docker: Docker,
    readonly endpoint: string,
  ) {}

  probe(): Promise<EngineStatus> {
    return probeDocker(this.docker, this.endpoint);
  }

  async findImage(reference: string, options: { pull?: boolean; pullTimeoutMs?: number } = {}): Promise<ImageInfo | null> {
    const present = await inspectImage(this.docker, reference);
    if (present || !options.pull) return present;
    return (await pullImage(this.docker, reference, options.pullTimeoutMs ?? 120_000)) ? inspectImage(this.docker, reference) : null;
  }

  importImage(tarball: Readable, spec: ImportSpec): Promise<ImageInfo> {
    return importRootfs(this.docker, tarball, spec);
  }

  saveImage(reference: string): Promise<Readable> {
    return saveImage(this.docker, reference);
  }

  loadImage(archive: Readable): Promise<void> {
    return loadImage(this.docker, archive);
  }

  async createVolume(spec: VolumeSpec): Promise<void> {
    await this.docker.createVolume(volumeOptions(spec));
  }

  async createNetwork(spec: NetworkCreateSpec): Promise<void> {
    await this.docker.createNetwork({ Name: spec.name, Driver: 'bridge', Internal: spec.internal, Labels: spec.labels, CheckDuplicate: true, Attachable: false });
  }

  async connectNetwork(containerId: string, network: string): Promise<void> {
    await this.docker.getNetwork(network).connect({ Container: containerId });
  }

  async networkAddress(containerId: string, network: string): Promise<string | null> {
    const info = await this.docker.getContainer(containerId).inspect();
    const address = info.NetworkSettings.Networks[network]?.IPAddress;
    return address ? address : null;
  }

  async createContainer(spec: ContainerSpec): Promise<ContainerHandle> {
    return new DockerContainer(this.docker, await this.docker.createContainer(containerOptions(spec)));
  }

  async listObjects(labels: Record<string, string>): Promise<LabelledObject[]> {
    const filters = { label: Object.entries(labels).map(([key, value]) => `${key}=${value}`) };
    const containers = await this.docker.listContainers({ all: true, filters });
    const { Volumes: volumes } = await this.docker.listVolumes({ filters });
    const networks = await this.docker.listNetworks({ filters });
    return [
      ...containers.map((info) => ({ kind: 'container' as const, id: info.Id, name: (info.Names[0] ?? info.Id).replace(/^\//, ''), labels: info.Labels ?? {} })),
      ...(volumes ?? []).map((info) => ({ kind: 'volume' as const, id: info.Name, name: info.Name, labels: info.Labels ?? {} })),
      ...networks.map((info) => ({ kind: 'network' as const, id: info.Id, name: info.Name, labels: info.Labels ?? {} })),
    ];
  }

  async removeObject(object: LabelledObject): Promise<void> {
    const gone = (error: unknown) => {
      if ((error as { statusCode?: number }).statusCode !== 404) throw error;
    };
    if (object.kind === 'container') await this.docker.getContainer(object.id).remove({ force: true, v: true }).catch(gone);
    else if (object.kind === 'volume') await this.docker.getVolume(object.id).remove().catch(gone);
    else await this.docker.getNetwork(object.id).remove().catch(gone);
  }

  async volumeSize(name: string): Promise<number | null> {
    // dockerode leaves df() untyped; the fields read are checked one by one.
    const usage = (await this.docker.df()) as { Volumes?: Array<{ Name?: string; UsageData?: { Size?: number } }> };
    const size = usage.Volumes?.find((volume) => volume.Name === name)?.UsageData?.Size;
    return typeof size === 'number' && size >= 0 ? size : null;
  }
}

/** dockerode reads DOCKER_HOST / DOCKER_TLS_VERIFY / DOCKER_CERT_PATH itself. */
export function connectRuntime(): SandboxRuntime {
  return new DockerRuntime(new Docker(), process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock');
}
