import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planPack } from '../../../sandbox/copy/pack-directory.ts';
import { FakeRuntime } from '../../../sandbox/fake/fake-runtime.ts';
import { SandboxJob } from '../../../sandbox/sandbox-job.ts';

const caps = { memoryMb: 256, cpus: 1, pids: 64, tmpfsMb: 16 };
const created = (runtime: FakeRuntime, role: string) => runtime.events.filter((event) => event.type === 'create' && event.role === role).map((event) => event.spec);

async function job(runImage?: string) {
  const runtime = new FakeRuntime({ prober: () => ({ lines: ['{}'] }) });
  const sandbox = new SandboxJob(runtime, { jobId: 'img', image: 'build-image', ...(runImage ? { runImage } : {}), helperImage: 'helper-image', ttlMs: 60_000, workspaceMb: 64 });
  await sandbox.createVolumes();
  const root = await mkdtemp(path.join(tmpdir(), 'tg-job-img-'));
  await writeFile(path.join(root, 'go.mod'), 'module x\n');
  await sandbox.copySubmission({ root, plan: await planPack(root), caBundlePath: null });
  return { runtime, sandbox };
}

describe('SandboxJob images', () => {
  it('builds and tests in the image, and runs candidate instances in the run image when there is one', async () => {
    const { runtime, sandbox } = await job('slim-run-image');
    await sandbox.runBuildStep({ cmd: ['go', 'build'], env: {}, caps, deadlineMs: 5_000, network: true, caches: [] });
    await sandbox.startCandidate({ cmd: ['/workspace/app/server'], env: {}, caps });
    expect(created(runtime, 'build').at(-1)?.image).toBe('build-image');
    expect(created(runtime, 'candidate')[0]?.image).toBe('slim-run-image');
    await sandbox.dispose();
  });

  it('runs candidate instances in the image itself without a run image', async () => {
    const { runtime, sandbox } = await job();
    await sandbox.startCandidate({ cmd: ['x'], env: {}, caps });
    expect(created(runtime, 'candidate')[0]?.image).toBe('build-image');
    await sandbox.dispose();
  });

  it('mounts a cache read-only when the step asks (the test step reading a toolchain cache)', async () => {
    const { runtime, sandbox } = await job();
    await runtime.createVolume({ name: 'go-mod', labels: {} });
    await sandbox.runBuildStep({ cmd: ['go', 'test'], env: {}, caps, deadlineMs: 5_000, network: false, caches: [{ volume: 'go-mod', target: '/cache/go-mod', readOnly: true }] });
    expect(created(runtime, 'build').at(-1)?.mounts).toContainEqual({ volume: 'go-mod', target: '/cache/go-mod', readOnly: true });
    await sandbox.dispose();
  });

  it('runs the prober in the image it is given (a suite runner\'s), else in the helper image', async () => {
    const { runtime, sandbox } = await job();
    const candidate = await sandbox.startCandidate({ cmd: ['x'], env: {}, caps });
    await sandbox.runProber({ candidate, bundle: '', input: {}, caps, deadlineMs: 5_000, image: 'prober-python-image' });
    await sandbox.runProber({ candidate, bundle: '', input: {}, caps, deadlineMs: 5_000 });
    expect(created(runtime, 'prober').map((spec) => spec?.image)).toEqual(['prober-python-image', 'helper-image']);
    await sandbox.dispose();
  });
});
