import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { candidateSpec, keeperSpec, proberSpec } from '../../../../sandbox/container/container-specs.ts';
import { filesTar } from '../../../../sandbox/copy/files-tar.ts';
import { FAKE_MEMORY_BYTES, FakeRuntime } from '../../../../sandbox/fake/fake-runtime.ts';
import type { ContainerHandle } from '../../../../sandbox/runtime/sandbox-runtime.ts';

const caps = { memoryMb: 64, cpus: 1, pids: 16, tmpfsMb: 1 };
const job = { jobId: 'j', ttlMs: 60_000 };
const owner = { uid: 1000, gid: 1000 };

function sink(): Writable & { text: () => string } {
  const chunks: Buffer[] = [];
  const writable = new Writable({
    write: (chunk: Buffer, _encoding, done) => {
      chunks.push(chunk);
      done();
    },
  });
  return Object.assign(writable, { text: () => Buffer.concat(chunks).toString('utf8') });
}

async function setup(runtime: FakeRuntime): Promise<void> {
  await runtime.createVolume({ name: 'ws', labels: {} });
  await runtime.createVolume({ name: 'code', labels: {} });
}

const candidate = (runtime: FakeRuntime, name = 'c') =>
  runtime.createContainer(candidateSpec({ ...job, name, image: 'img', cmd: ['npm', 'start'], env: {}, caps, workspaceVolume: 'ws' }));
const prober = (runtime: FakeRuntime, candidateId: string) =>
  runtime.createContainer(proberSpec({ ...job, name: 'p', image: 'helper', cmd: ['node'], env: {}, caps, candidateId, codeVolume: 'code' }));
const start = (container: ContainerHandle, out = sink()) => container.start({ stdout: out, stderr: out });

describe('FakeRuntime', () => {
  it('runs a candidate until it is killed; a kill exits 137 and stops it', async () => {
    const runtime = new FakeRuntime();
    await setup(runtime);
    const server = await candidate(runtime);
    expect((await server.state()).running).toBe(false);
    await start(server);
    expect(await server.state()).toEqual({ running: true, exitCode: null, oomKilled: false, finishedAtMs: null });
    expect(await server.memoryNow()).toBe(FAKE_MEMORY_BYTES);
    await server.kill();
    expect(await server.exited()).toBe(137);
    expect(await server.state()).toMatchObject({ running: false, exitCode: 137 });
    expect(await server.memoryNow()).toBeNull();
  });

  it('a candidate that exits on its own resolves exited() with its code and a finish time', async () => {
    const runtime = new FakeRuntime({ candidate: () => ({ output: 'boom\n', exitAfterMs: 5, exitCode: 3 }) });
    await setup(runtime);
    const server = await candidate(runtime);
    const out = sink();
    await start(server, out);
    expect(await server.exited()).toBe(3);
    const state = await server.state();
    expect(state).toMatchObject({ running: false, exitCode: 3, oomKilled: false });
    expect(state.finishedAtMs).toBeGreaterThan(0);
    expect(out.text()).toBe('boom\n');
  });

  it('reports an OOM kill', async () => {
    const runtime = new FakeRuntime({ candidate: () => ({ exitAfterMs: 0, oomKilled: true }) });
    await setup(runtime);
    const server = await candidate(runtime);
    await start(server);
    expect(await server.exited()).toBe(137);
    expect(await server.state()).toMatchObject({ running: false, exitCode: 137, oomKilled: true });
  });

  it('nothing exits before it is started', async () => {
    const runtime = new FakeRuntime({ candidate: () => ({ exitAfterMs: 0, exitCode: 1 }) });
    await setup(runtime);
    const server = await candidate(runtime);
    const winner = await Promise.race([server.exited().then(() => 'exited'), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 20))]);
    expect(winner).toBe('still waiting');
    await start(server);
    expect(await server.exited()).toBe(1);
  });

  it('refuses a prober into the namespace of a candidate that is not running', async () => {
    const runtime = new FakeRuntime({ candidate: () => ({ exitAfterMs: 0, exitCode: 1 }) });
    await setup(runtime);
    const server = await candidate(runtime);
    await expect(prober(runtime, server.id)).rejects.toThrow(/cannot join network of a non running container/);
    await start(server);
    await server.exited();
    await expect(prober(runtime, server.id)).rejects.toThrow(/non running/);
    expect(runtime.events.filter((event) => event.type === 'create').map((event) => event.role)).toEqual(['candidate']);
  });

  it('hands the prober script the input copied in, and prints its lines', async () => {
    const seen: unknown[] = [];
    const runtime = new FakeRuntime({
      prober: (input, context) => {
        seen.push(input, context.candidateRunning());
        return { lines: ['{"type":"done"}'], exitCode: 0, delayMs: 1 };
      },
    });
    await setup(runtime);
    const server = await candidate(runtime);
    await start(server);
    const probe = await prober(runtime, server.id);
    await probe.copyIn(await filesTar({ 'prober.mjs': '//', 'input.json': JSON.stringify({ mode: 'checks', checkIds: ['a'] }) }, owner), '/prober');
    const out = sink();
    await start(probe, out);
    expect(await probe.exited()).toBe(0);
    expect(out.text()).toBe('{"type":"done"}\n');
    expect(seen).toEqual([{ mode: 'checks', checkIds: ['a'] }, true]);
  });

  it('scripts build steps by exit code, output and delay', async () => {
    const runtime = new FakeRuntime({ build: (spec) => ({ exitCode: spec.cmd[1] === 'ci' ? 0 : 2, output: `ran ${spec.cmd.join(' ')}\n` }) });
    await setup(runtime);
    const { buildSpec } = await import('../../../../sandbox/container/container-specs.ts');
    const step = (cmd: string[]) => runtime.createContainer(buildSpec({ ...job, name: cmd.join('-'), image: 'img', cmd, env: {}, caps, workspaceVolume: 'ws', network: true, caches: [] }));
    const install = await step(['npm', 'ci']);
    const out = sink();
    await start(install, out);
    expect(await install.exited()).toBe(0);
    expect(out.text()).toBe('ran npm ci\n');
    const build = await step(['npm', 'run', 'build']);
    await start(build);
    expect(await build.exited()).toBe(2);
  });

  it('keeps an ordered event log and knows what is still there', async () => {
    const runtime = new FakeRuntime();
    await runtime.createVolume({ name: 'ws', labels: { 'io.takehome-grader.role': 'workspace' } });
    await runtime.createVolume({ name: 'code', labels: {} });
    const keeper = await runtime.createContainer(keeperSpec({ ...job, name: 'k', image: 'helper', volumes: ['ws'] }));
    await start(keeper);
    expect(runtime.live()).toEqual([
      { kind: 'container', name: 'k', role: 'keeper', running: true },
      { kind: 'volume', name: 'ws', role: 'workspace' },
      { kind: 'volume', name: 'code', role: 'unknown' },
    ]);
    // A volume still mounted cannot go, as with Docker.
    await expect(runtime.removeObject({ kind: 'volume', id: 'ws', name: 'ws', labels: {} })).rejects.toThrow(/in use/);
    await keeper.remove();
    for (const object of await runtime.listObjects({})) await runtime.removeObject(object);
    expect(runtime.live()).toEqual([]);
    expect(runtime.events.map((event) => `${event.type}:${event.name}`)).toEqual([
      'volume:ws', 'volume:code', 'create:k', 'start:k', 'remove:k', 'remove:ws', 'remove:code',
    ]);
    expect(await keeper.exited()).toBe(137);
  });

  it('knows only the images it was given, when given some', async () => {
    const runtime = new FakeRuntime({ images: { helper: 'sha256:h' } });
    expect(await runtime.findImage('helper')).toMatchObject({ id: 'sha256:h' });
    expect(await runtime.findImage('node:20', { pull: true })).toBeNull();
    await runtime.createVolume({ name: 'ws', labels: {} });
    await expect(candidate(runtime)).rejects.toThrow(/No such image/);
    expect(await new FakeRuntime().findImage('anything')).toMatchObject({ id: 'sha256:fake-anything' });
    expect(await new FakeRuntime({ ncpu: 2 }).probe()).toMatchObject({ reachable: true, ncpu: 2 });
  });

  it('keeps labelled networks: members attach, get an address once running, and a network in use cannot be removed', async () => {
    const runtime = new FakeRuntime();
    await setup(runtime);
    const labels = { 'io.takehome-grader.managed': 'true', 'io.takehome-grader.role': 'egress-network' };
    await runtime.createNetwork({ name: 'net', labels, internal: true });
    await expect(runtime.createNetwork({ name: 'net', labels, internal: true })).rejects.toThrow(/already exists/);
    const member = await candidate(runtime);
    await runtime.connectNetwork(member.id, 'net');
    await expect(runtime.connectNetwork(member.id, 'elsewhere')).rejects.toThrow(/not found/);
    expect(await runtime.networkAddress(member.id, 'net')).toBeNull();
    await member.start({ stdout: sink(), stderr: sink() });
    expect(await runtime.networkAddress(member.id, 'net')).toBe('10.99.0.2');
    expect(await runtime.listObjects({ 'io.takehome-grader.role': 'egress-network' })).toEqual([{ kind: 'network', id: 'net', name: 'net', labels }]);
    await expect(runtime.removeObject({ kind: 'network', id: 'net', name: 'net', labels })).rejects.toThrow(/active endpoints/);
    await member.remove();
    await runtime.removeObject({ kind: 'network', id: 'net', name: 'net', labels });
    await runtime.removeObject({ kind: 'network', id: 'net', name: 'net', labels });
    expect(runtime.live().filter((object) => object.kind === 'network')).toEqual([]);
  });
});
