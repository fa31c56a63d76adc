import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FakeRuntime } from '../../../../sandbox/fake/fake-runtime.ts';
import { PeerImageRuntime, type ImageCopied } from '../../../../sandbox/image/peer-image-runtime.ts';

const PROBER = 'takehome-grader/prober:node20';

describe('PeerImageRuntime', () => {
  it('loads an image it lacks from the first peer that has it, once for gradings asking together', async () => {
    const own = new FakeRuntime({ images: {} });
    const empty = new FakeRuntime({ images: {} });
    const host = new FakeRuntime({ images: { [PROBER]: 'sha256:abc' } });
    const copied: ImageCopied[] = [];
    const runtime = new PeerImageRuntime(own, [{ name: 'empty', runtime: empty }, { name: 'host', runtime: host }], (event) => copied.push(event));
    const [first, second] = await Promise.all([runtime.findImage(PROBER), runtime.findImage(PROBER)]);
    expect(first).toMatchObject({ name: PROBER, id: 'sha256:abc' });
    expect(second).toMatchObject({ name: PROBER, id: 'sha256:abc' });
    expect(await own.findImage(PROBER)).toMatchObject({ id: 'sha256:abc' });
    expect(copied).toEqual([expect.objectContaining({ image: PROBER, from: 'host' })]);
    // Present now: no second copy.
    await runtime.findImage(PROBER);
    expect(copied).toHaveLength(1);
  });

  it('answers null when no engine of the pool has it, and leaves a pull to the engine', async () => {
    const own = new FakeRuntime({ images: {} });
    const runtime = new PeerImageRuntime(own, [{ name: 'host', runtime: new FakeRuntime({ images: {} }) }]);
    expect(await runtime.findImage('node:20')).toBeNull();
    expect(await runtime.peerHaving('node:20')).toBeNull();
  });

  it('skips a peer whose archive cannot be loaded and tries the next', async () => {
    const own = new FakeRuntime({ images: {} });
    const broken = new FakeRuntime({ images: { [PROBER]: 'sha256:bad' } });
    broken.saveImage = async () => Readable.from(['not an archive']);
    const good = new FakeRuntime({ images: { [PROBER]: 'sha256:good' } });
    const copied: ImageCopied[] = [];
    const runtime = new PeerImageRuntime(own, [{ name: 'broken', runtime: broken }, { name: 'good', runtime: good }], (event) => copied.push(event));
    expect(await runtime.findImage(PROBER)).toMatchObject({ id: 'sha256:good' });
    expect(copied.map((event) => event.from)).toEqual(['good']);
    expect(await runtime.peerHaving(PROBER)).toBe('broken');
  });

  it('gives up on a peer that does not answer, or whose copy stalls, and tries the next', async () => {
    const own = new FakeRuntime({ images: {} });
    const silent = new FakeRuntime({ images: { [PROBER]: 'sha256:silent' } });
    silent.findImage = () => new Promise(() => undefined);
    const stalled = new FakeRuntime({ images: { [PROBER]: 'sha256:stalled' } });
    const never = new Readable({ read: () => undefined });
    stalled.saveImage = async () => never;
    const good = new FakeRuntime({ images: { [PROBER]: 'sha256:good' } });
    const peers = [{ name: 'silent', runtime: silent }, { name: 'stalled', runtime: stalled }, { name: 'good', runtime: good }];
    const runtime = new PeerImageRuntime(own, peers, () => undefined, { lookupTimeoutMs: 50, copyTimeoutMs: 100 });
    expect(await runtime.findImage(PROBER)).toMatchObject({ id: 'sha256:good' });
    // The stalled peer's save stream is torn down, not left blocking its engine.
    expect(never.destroyed).toBe(true);
  });

  it('remembers for a while that no engine has an image, instead of asking every peer each time', async () => {
    const own = new FakeRuntime({ images: {} });
    const peer = new FakeRuntime({ images: {} });
    let asked = 0;
    const find = peer.findImage.bind(peer);
    peer.findImage = (reference, options) => {
      asked += 1;
      return find(reference, options);
    };
    const runtime = new PeerImageRuntime(own, [{ name: 'peer', runtime: peer }], () => undefined, { missMemoryMs: 60_000 });
    expect(await runtime.findImage('node:20')).toBeNull();
    expect(await runtime.findImage('node:20')).toBeNull();
    expect(asked).toBe(1);
  });
});
