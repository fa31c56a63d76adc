import { describe, expect, it } from 'vitest';
import { ensureCache } from '../../../../sandbox/cache/ensure-cache.ts';
import { listCaches } from '../../../../sandbox/cache/list-caches.ts';
import { pruneCaches } from '../../../../sandbox/cache/prune-caches.ts';
import { FakeRuntime } from '../../../../sandbox/fake/fake-runtime.ts';
import { LABELS } from '../../../../sandbox/labels.ts';
import { isLeftover, reapLeftovers } from '../../../../sandbox/reaper.ts';
import { removeLabelled } from '../../../../sandbox/remove-labelled.ts';

describe('dependency caches', () => {
  it('creates a labelled volume once and hands it to uid 1000 in the helper image with CAP_CHOWN only', async () => {
    const runtime = new FakeRuntime();
    expect(await ensureCache(runtime, { id: 'npm', helperImage: 'helper' })).toBe('takehome-grader-cache-npm');
    expect(await ensureCache(runtime, { id: 'npm', helperImage: 'helper' })).toBe('takehome-grader-cache-npm');
    const setups = runtime.events.filter((event) => event.type === 'create');
    expect(setups).toHaveLength(1);
    expect(setups[0]?.spec).toMatchObject({
      image: 'helper',
      cmd: ['chown', '1000:1000', '/cache'],
      user: '0:0',
      privilegedChown: true,
      network: { mode: 'none' },
      mounts: [{ volume: 'takehome-grader-cache-npm', target: '/cache', readOnly: false }],
    });
    expect(runtime.live()).toEqual([{ kind: 'volume', name: 'takehome-grader-cache-npm', role: 'cache' }]);
    // A second process (a new runtime) finds the volume and does not set it up again.
    const [volume] = await runtime.listObjects({ [LABELS.cache]: 'npm' });
    expect(volume?.labels).toEqual({ [LABELS.managed]: 'true', [LABELS.cache]: 'npm' });
  });

  it('is never a leftover: the reaper and a job\'s cleanup keep it', async () => {
    const runtime = new FakeRuntime();
    await ensureCache(runtime, { id: 'npm', helperImage: 'helper' });
    const [volume] = await runtime.listObjects({ [LABELS.cache]: 'npm' });
    expect(isLeftover(volume?.labels ?? {}, Date.now() + 365 * 24 * 3600 * 1000)).toBe(false);
    expect(await reapLeftovers(runtime)).toEqual({ containers: 0, volumes: 0, networks: 0 });
    expect(await removeLabelled(runtime, { [LABELS.job]: 'any-job' })).toEqual({ containers: 0, volumes: 0, networks: 0 });
    expect(runtime.live()).toHaveLength(1);
  });

  it('lists caches with their size, and prune removes them', async () => {
    const runtime = new FakeRuntime();
    await ensureCache(runtime, { id: 'pip', helperImage: 'helper' });
    await ensureCache(runtime, { id: 'npm', helperImage: 'helper' });
    await runtime.createVolume({ name: 'tg-x-workspace', labels: { [LABELS.managed]: 'true', [LABELS.job]: 'x' } });
    expect(await listCaches(runtime)).toEqual([
      { id: 'npm', volume: 'takehome-grader-cache-npm', sizeBytes: 0 },
      { id: 'pip', volume: 'takehome-grader-cache-pip', sizeBytes: 0 },
    ]);
    expect(await pruneCaches(runtime)).toBe(2);
    expect(runtime.live().map((object) => object.name)).toEqual(['tg-x-workspace']);
  });
});
