import { describe, expect, it } from 'vitest';
import { buildSpec, candidateSpec, egressProxySpec, keeperSpec, proberSpec } from '../../../../sandbox/container/container-specs.ts';
import { containerOptions } from '../../../../sandbox/docker/container-options.ts';
import { volumeOptions } from '../../../../sandbox/docker/volume-options.ts';
import { LABELS } from '../../../../sandbox/labels.ts';
import type { ContainerSpec } from '../../../../sandbox/runtime/sandbox-runtime.ts';

const caps = { memoryMb: 512, cpus: 1.5, pids: 256, tmpfsMb: 64 };
const job = { jobId: 'j1', name: 'tg-j1-x-1', ttlMs: 60_000 };

const specs: Record<string, ContainerSpec> = {
  keeper: keeperSpec({ ...job, image: 'helper', volumes: ['tg-j1-workspace', 'tg-j1-prober'] }),
  build: buildSpec({ ...job, image: 'node', cmd: ['npm', 'ci'], env: { CI: 'true' }, caps, workspaceVolume: 'tg-j1-workspace', network: true, caches: [{ volume: 'takehome-grader-cache-npm', target: '/cache/npm' }] }),
  offlineBuild: buildSpec({ ...job, image: 'node', cmd: ['npm', 'test'], env: {}, caps, workspaceVolume: 'tg-j1-workspace', network: false, caches: [] }),
  candidate: candidateSpec({ ...job, image: 'node', cmd: ['npm', 'start'], env: { PORT: '3000' }, caps: { ...caps, cpuset: '0' }, workspaceVolume: 'tg-j1-workspace' }),
  proxiedBuild: buildSpec({ ...job, image: 'node', cmd: ['npm', 'ci'], env: {}, caps, workspaceVolume: 'tg-j1-workspace', network: { mode: 'proxied', network: 'tg-j1-egress-2', dns: ['172.30.0.2'] }, caches: [] }),
  egressProxy: egressProxySpec({ ...job, image: 'helper', script: 'console.log(1)', allow: ['registry.npmjs.org:443'], httpPort: 3128 }),
  prober: proberSpec({ ...job, image: 'helper', cmd: ['node', '/prober/prober.mjs'], env: {}, caps: { ...caps, cpuset: '3' }, candidateId: 'abc123', codeVolume: 'tg-j1-prober' }),
};

describe('containerOptions (ContainerSpec → Docker create options)', () => {
  it.each(Object.entries(specs))('hardens the %s container whatever its role', (_role, spec) => {
    const options = containerOptions(spec);
    const host = options.HostConfig ?? {};
    expect(options.User).toBe('1000:1000');
    expect(host.CapDrop).toEqual(['ALL']);
    expect(host.CapAdd).toBeUndefined();
    expect(host.SecurityOpt).toEqual(['no-new-privileges']);
    expect(host.ReadonlyRootfs).toBe(true);
    expect(host.Tmpfs).toEqual({ '/tmp': `rw,nosuid,nodev,size=${spec.caps.tmpfsMb}m,mode=1777` });
    expect(host.Memory).toBe(spec.caps.memoryMb * 1024 * 1024);
    expect(host.MemorySwap).toBe(host.Memory);
    expect(host.NanoCpus).toBe(Math.round(spec.caps.cpus * 1e9));
    expect(host.PidsLimit).toBe(spec.caps.pids);
    expect(host.Ulimits).toEqual([
      { Name: 'nofile', Soft: 4096, Hard: 4096 },
      { Name: 'core', Soft: 0, Hard: 0 },
    ]);
    expect(host.Init).toBe(true);
    expect(host.IpcMode).toBe('private');
    expect(host.LogConfig).toEqual({ Type: 'json-file', Config: { 'max-size': '10m', 'max-file': '1' } });
    expect(host.Privileged).toBeUndefined();
    expect(host.Binds).toBeUndefined();
    for (const mount of host.Mounts ?? []) expect(mount.Type).toBe('volume');
    expect(options.Labels?.[LABELS.job]).toBe('j1');
  });

  it('maps each network mode: none, egress through the bridge, or the candidate\'s namespace', () => {
    expect(containerOptions(specs.keeper!).HostConfig?.NetworkMode).toBe('none');
    expect(containerOptions(specs.candidate!).HostConfig?.NetworkMode).toBe('none');
    expect(containerOptions(specs.offlineBuild!).HostConfig?.NetworkMode).toBe('none');
    expect(containerOptions(specs.build!).HostConfig?.NetworkMode).toBe('bridge');
    expect(containerOptions(specs.prober!).HostConfig?.NetworkMode).toBe('container:abc123');
    // Only the resolver given is asked: no engine default where other names could resolve.
    for (const role of ['keeper', 'candidate', 'build', 'prober', 'egressProxy']) expect(containerOptions(specs[role]!).HostConfig?.Dns).toBeUndefined();
  });

  it('puts a proxied step on the job\'s internal network only, with the proxy as its DNS server', () => {
    const host = containerOptions(specs.proxiedBuild!).HostConfig ?? {};
    expect(host.NetworkMode).toBe('tg-j1-egress-2');
    expect(host.Dns).toEqual(['172.30.0.2']);
  });

  it('runs the egress proxy on the bridge, hardened like every role, with its allowlist in env', () => {
    const options = containerOptions(specs.egressProxy!);
    expect(options.HostConfig?.NetworkMode).toBe('bridge');
    expect(options.Cmd).toEqual(['node', '--input-type=module', '-e', 'console.log(1)']);
    expect(options.Env).toContain('EGRESS_ALLOW=["registry.npmjs.org:443"]');
    expect(options.Labels?.[LABELS.role]).toBe('egress-proxy');
  });

  it('pins CPUs only when asked, and mounts exactly the spec\'s volumes', () => {
    expect(containerOptions(specs.candidate!).HostConfig?.CpusetCpus).toBe('0');
    expect(containerOptions(specs.prober!).HostConfig?.CpusetCpus).toBe('3');
    expect(containerOptions(specs.build!).HostConfig?.CpusetCpus).toBeUndefined();
    // An instance writes to its own copy of the workspace (see SandboxJob.instanceWorkspace).
    expect(containerOptions(specs.candidate!).HostConfig?.Mounts).toEqual([{ Type: 'volume', Source: 'tg-j1-workspace', Target: '/workspace', ReadOnly: false }]);
    expect(containerOptions(specs.build!).HostConfig?.Mounts).toEqual([
      { Type: 'volume', Source: 'tg-j1-workspace', Target: '/workspace', ReadOnly: false },
      { Type: 'volume', Source: 'takehome-grader-cache-npm', Target: '/cache/npm', ReadOnly: false },
    ]);
    expect(containerOptions(specs.keeper!).HostConfig?.Mounts?.every((mount) => mount.ReadOnly)).toBe(true);
  });

  it('passes command, env, working dir and labels through', () => {
    const options = containerOptions(specs.candidate!);
    expect(options).toMatchObject({ name: 'tg-j1-x-1', Image: 'node', Cmd: ['npm', 'start'], Env: ['PORT=3000'], WorkingDir: '/workspace/app', AttachStdout: true, AttachStderr: true, Tty: false, OpenStdin: false });
    expect(options.Labels?.[LABELS.role]).toBe('candidate');
    expect(containerOptions(specs.keeper!).Cmd).toEqual(['sleep', 'infinity']);
  });

  it('grants CAP_CHOWN and nothing more to the cache setup helper', () => {
    const options = containerOptions({ ...specs.keeper!, user: '0:0', privilegedChown: true });
    expect(options.HostConfig?.CapDrop).toEqual(['ALL']);
    expect(options.HostConfig?.CapAdd).toEqual(['CHOWN']);
    expect(options.HostConfig?.SecurityOpt).toEqual(['no-new-privileges']);
    expect(options.HostConfig?.ReadonlyRootfs).toBe(true);
  });
});

describe('volumeOptions', () => {
  it('makes a sized tmpfs owned by the sandbox user, or a plain local volume', () => {
    expect(volumeOptions({ name: 'w', labels: { a: 'b' }, tmpfs: { sizeMb: 1024, uid: 1000, gid: 1000 } })).toEqual({
      Name: 'w',
      Driver: 'local',
      Labels: { a: 'b' },
      DriverOpts: { type: 'tmpfs', device: 'tmpfs', o: 'size=1024m,uid=1000,gid=1000,mode=0755,nosuid,nodev' },
    });
    expect(volumeOptions({ name: 'c', labels: {} })).toEqual({ Name: 'c', Driver: 'local', Labels: {} });
  });
});
