import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { planPack, type PackPlan } from '../../../sandbox/copy/pack-directory.ts';
import { FAKE_MEMORY_BYTES, FakeRuntime, type FakeRuntimeScript } from '../../../sandbox/fake/fake-runtime.ts';
import { LABELS } from '../../../sandbox/labels.ts';
import { CA_PATH, SandboxJob } from '../../../sandbox/sandbox-job.ts';

const caps = { memoryMb: 256, cpus: 1, pids: 64, tmpfsMb: 16 };
let root: string;
let plan: PackPlan;

beforeAll(async () => {
  root = await mkdtemp(path.join(tmpdir(), 'tg-job-'));
  await writeFile(path.join(root, 'package.json'), '{}');
  plan = await planPack(root);
});

async function newJob(script: FakeRuntimeScript = {}) {
  const runtime = new FakeRuntime(script);
  const job = new SandboxJob(runtime, { jobId: 'j1', image: 'candidate-image', helperImage: 'helper-image', ttlMs: 60_000, workspaceMb: 128 });
  await job.createVolumes();
  return { runtime, job };
}
const submission = () => ({ root, plan, caBundlePath: null });
const created = (runtime: FakeRuntime, role: string) => runtime.events.filter((event) => event.type === 'create' && event.role === role);

describe('SandboxJob with an egress allowlist', () => {
  it('starts one proxy for the job on the first networked step, attaches steps only to its internal network, and reports what it refused per step', async () => {
    const denied = [{ host: 'exfil.invalid', port: 443, at: 1, kind: 'connect' as const }];
    const runtime = new FakeRuntime({ egressDenied: (spec) => (spec.cmd[0] === 'evil' ? denied : []) });
    const job = new SandboxJob(runtime, { jobId: 'j1', image: 'candidate-image', helperImage: 'helper-image', ttlMs: 60_000, workspaceMb: 128, egress: { allow: ['registry.npmjs.org:443'] } });
    await job.createVolumes();
    await job.copySubmission(submission());
    expect(job.egressAllowlist).toEqual(['registry.npmjs.org:443']);
    const first = await job.runBuildStep({ cmd: ['evil'], env: { HTTPS_PROXY: 'http://mine.example:1' }, caps, deadlineMs: 5_000, network: true, caches: [] });
    const second = await job.runBuildStep({ cmd: ['npm', 'run', 'build'], env: {}, caps, deadlineMs: 5_000, network: true, caches: [] });
    const offline = await job.runBuildStep({ cmd: ['npm', 'test'], env: {}, caps, deadlineMs: 5_000, network: false, caches: [] });
    expect(first.egressDenied).toEqual({ attempts: denied, dropped: 0 });
    expect(second.egressDenied).toEqual({ attempts: [], dropped: 0 });
    expect(offline.egressDenied).toBeNull();
    const proxies = created(runtime, 'egress-proxy');
    expect(proxies).toHaveLength(1);
    expect(proxies[0]?.spec).toMatchObject({ image: 'helper-image', network: { mode: 'egress' }, env: { EGRESS_ALLOW: '["registry.npmjs.org:443"]' } });
    const [, evil, build, test] = created(runtime, 'build').map((event) => event.spec);
    const network = { mode: 'proxied', network: 'tg-j1-egress-3', dns: ['10.99.0.2'] };
    expect(evil?.network).toEqual(network);
    expect(build?.network).toEqual(network);
    expect(test?.network).toEqual({ mode: 'none' });
    // The proxy's env wins over a step's own: the way out is the harness's.
    expect(evil?.env).toMatchObject({ HTTPS_PROXY: 'http://10.99.0.2:3128', https_proxy: 'http://10.99.0.2:3128', npm_config_https_proxy: 'http://10.99.0.2:3128', NO_PROXY: '' });
    expect(runtime.live()).toContainEqual({ kind: 'network', name: 'tg-j1-egress-3', role: 'egress-network' });
    await job.dispose();
    expect(runtime.live()).toEqual([]);
  });
});

describe('SandboxJob over a runtime', () => {
  it('holds its tmpfs volumes with a keeper in the helper image', async () => {
    const { runtime, job } = await newJob();
    expect(runtime.live()).toEqual([
      { kind: 'container', name: 'tg-j1-keeper-1', role: 'keeper', running: true },
      { kind: 'volume', name: 'tg-j1-workspace', role: 'workspace' },
      { kind: 'volume', name: 'tg-j1-prober', role: 'prober-code' },
    ]);
    expect(created(runtime, 'keeper')[0]?.spec?.image).toBe('helper-image');
    await job.dispose();
    expect(runtime.live()).toEqual([]);
  });

  it('runs build steps in the candidate\'s image with only HOME and CI of its own, after copying the submission once', async () => {
    const { runtime, job } = await newJob({ build: () => ({ exitCode: 0, output: 'installed\n' }) });
    await runtime.createVolume({ name: 'c', labels: {} });
    await expect(job.runBuildStep({ cmd: ['npm', 'ci'], env: {}, caps, deadlineMs: 5_000, network: false, caches: [] })).rejects.toThrow(/copySubmission/);
    await job.copySubmission(submission());
    await job.copySubmission(submission());
    const step = await job.runBuildStep({ cmd: ['npm', 'ci'], env: { npm_config_cache: '/cache/npm' }, caps, deadlineMs: 5_000, network: true, caches: [{ volume: 'c', target: '/cache/npm' }] });
    expect(step).toMatchObject({ exit: { exitCode: 0, timedOut: false }, log: 'installed\n', logTruncated: false });
    await job.runBuildStep({ cmd: ['npm', 'run', 'build'], env: {}, caps, deadlineMs: 5_000, network: false, caches: [] });
    const [copy, install, build] = created(runtime, 'build').map((event) => event.spec);
    // The copy goes through a never-started container of the helper image.
    expect(copy).toMatchObject({ image: 'helper-image', network: { mode: 'none' } });
    expect(runtime.events.filter((event) => event.type === 'start' && event.name === copy?.name)).toEqual([]);
    expect(install).toMatchObject({ image: 'candidate-image', env: { HOME: '/tmp', CI: 'true', npm_config_cache: '/cache/npm' }, network: { mode: 'egress' } });
    expect(install?.mounts).toContainEqual({ volume: 'c', target: '/cache/npm', readOnly: false });
    expect(build?.env).toEqual({ HOME: '/tmp', CI: 'true' });
    expect(build?.network).toEqual({ mode: 'none' });
    // Once: the submission, then the workspace's home (and CA bundle, when there is one).
    expect(runtime.events.filter((event) => event.type === 'copy-in')).toHaveLength(2);
    expect(CA_PATH).toBe('/workspace/ca/ca-certificates.crt');
    await job.dispose();
  });

  it('kills a build step at its deadline', async () => {
    const { job } = await newJob({ build: () => ({ exitCode: 0, delayMs: 10_000 }) });
    await job.copySubmission(submission());
    const step = await job.runBuildStep({ cmd: ['npm', 'ci'], env: {}, caps, deadlineMs: 20, network: false, caches: [] });
    expect(step.exit).toMatchObject({ exitCode: null, timedOut: true });
    await job.dispose();
  });

  it('runs the prober in the helper image, in the candidate\'s namespace, and reads its output', async () => {
    const { runtime, job } = await newJob({ prober: (input) => ({ lines: [JSON.stringify({ echo: input })] }) });
    const server = await job.startCandidate({ cmd: ['npm', 'start'], env: { PORT: '3000' }, caps });
    expect(created(runtime, 'candidate')[0]?.spec).toMatchObject({ image: 'candidate-image', env: { HOME: '/tmp', PORT: '3000' }, network: { mode: 'none' } });
    const run = await job.runProber({ candidate: server, bundle: '// bundle', input: { hello: 1 }, caps, deadlineMs: 5_000 });
    expect(run.exit.exitCode).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ echo: { hello: 1 } });
    const proberSpec = created(runtime, 'prober')[0]?.spec;
    expect(proberSpec).toMatchObject({ image: 'helper-image', cmd: ['node', expect.stringMatching(/^\/prober\/bundles\/prober-[0-9a-f]{16}\.mjs$/), expect.stringMatching(/^\/prober\/runs\/[\w-]+\/input\.json$/)], network: { mode: 'join', containerId: server.container.id } });
    expect(await job.stopCandidate(server)).toEqual({ peakBytes: FAKE_MEMORY_BYTES, samples: 2 });
    await job.dispose();
    expect(runtime.live()).toEqual([]);
  });

  it('stops the prober as soon as the candidate dies', async () => {
    const { job } = await newJob({ candidate: () => ({ exitAfterMs: 20, exitCode: 1 }), prober: () => ({ lines: ['late'], delayMs: 10_000 }) });
    const server = await job.startCandidate({ cmd: ['npm', 'start'], env: {}, caps });
    const started = performance.now();
    const run = await job.runProber({ candidate: server, bundle: '', input: {}, caps, deadlineMs: 30_000 });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(run).toMatchObject({ exit: { exitCode: null, timedOut: false }, stdout: '' });
    expect(await server.container.state()).toMatchObject({ running: false, exitCode: 1 });
    await job.dispose();
  });

  it('never starts a prober for a candidate already gone: the run comes back empty', async () => {
    const { runtime, job } = await newJob({ candidate: () => ({ exitAfterMs: 0, exitCode: 3 }) });
    const server = await job.startCandidate({ cmd: ['npm', 'start'], env: {}, caps });
    await server.container.exited();
    const run = await job.runProber({ candidate: server, bundle: '', input: {}, caps, deadlineMs: 5_000 });
    expect(run).toMatchObject({ exit: { exitCode: null, timedOut: false }, stdout: '', stdoutTruncated: false });
    expect(run.stderr).toMatch(/exited before the prober/);
    expect(runtime.events.filter((event) => event.role === 'prober')).toEqual([]);
    await job.dispose();
  });

  it('labels everything with the job and refuses new containers once disposed', async () => {
    const { runtime, job } = await newJob();
    await job.startCandidate({ cmd: ['npm', 'start'], env: {}, caps });
    for (const event of runtime.events.filter((event) => event.type === 'create' || event.type === 'volume')) {
      expect(event.spec?.labels[LABELS.job] ?? 'j1').toBe('j1');
    }
    await job.dispose();
    await job.dispose();
    expect(runtime.live()).toEqual([]);
    await expect(job.startCandidate({ cmd: ['x'], env: {}, caps })).rejects.toThrow(/closed/);
  });
});
