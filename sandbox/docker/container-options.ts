import type Docker from 'dockerode';
import type { ContainerSpec, NetworkSpec } from '../runtime/sandbox-runtime.ts';

const MIB = 1024 * 1024;

function networkMode(network: NetworkSpec): string {
  if (network.mode === 'none') return 'none';
  if (network.mode === 'egress') return 'bridge';
  if (network.mode === 'proxied') return network.network;
  return `container:${network.containerId}`;
}

/**
 * A spec in Docker's terms, with the hardening every container gets whatever its role: the
 * spec cannot ask for less. Pure, so the translation is unit-tested without an engine.
 */
export function containerOptions(spec: ContainerSpec): Docker.ContainerCreateOptions {
  const { caps } = spec;
  return {
    name: spec.name,
    Image: spec.image,
    Cmd: spec.cmd,
    User: spec.user,
    ...(spec.workingDir !== undefined ? { WorkingDir: spec.workingDir } : {}),
    Env: Object.entries(spec.env).map(([key, value]) => `${key}=${value}`),
    Labels: spec.labels,
    AttachStdout: true,
    AttachStderr: true,
    Tty: false,
    OpenStdin: false,
    HostConfig: {
      // Nothing in the sandbox needs a capability, setuid escalation, or to write outside
      // /tmp and the volumes mounted for it.
      CapDrop: ['ALL'],
      ...(spec.privilegedChown ? { CapAdd: ['CHOWN'] } : {}),
      SecurityOpt: ['no-new-privileges'],
      ReadonlyRootfs: true,
      Tmpfs: { '/tmp': `rw,nosuid,nodev,size=${caps.tmpfsMb}m,mode=1777` },
      // Memory equal to memory+swap: the container cannot swap its way past the cap.
      Memory: caps.memoryMb * MIB,
      MemorySwap: caps.memoryMb * MIB,
      NanoCpus: Math.round(caps.cpus * 1e9),
      // Separate CPUs for server and prober: the load generator must not steal the
      // server's cycles, or latency figures measure the harness.
      ...(caps.cpuset ? { CpusetCpus: caps.cpuset } : {}),
      // Fork bombs hit this, not the host's process table.
      PidsLimit: caps.pids,
      Ulimits: [
        { Name: 'nofile', Soft: 4096, Hard: 4096 },
        { Name: 'core', Soft: 0, Hard: 0 },
      ],
      // An init process reaps zombies the submission leaves behind and forwards signals.
      Init: true,
      IpcMode: 'private',
      // Caps what a chatty submission can write to the engine's disk.
      LogConfig: { Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '1' } },
      AutoRemove: false,
      NetworkMode: networkMode(spec.network),
      // On a user-defined network Docker's embedded resolver forwards names it does not
      // know to these servers: the egress proxy, which refuses them (and logs the name).
      ...(spec.network.mode === 'proxied' ? { Dns: spec.network.dns } : {}),
      // Named volumes only: a host path never reaches a container.
      Mounts: spec.mounts.map((mount) => ({ Type: 'volume' as const, Source: mount.volume, Target: mount.target, ReadOnly: mount.readOnly })),
    },
  };
}
