import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../../../../harness/assignment/load-assignment.ts';
import { warmImages } from '../../../../harness/engines/warm-images.ts';
import { FakeRuntime } from '../../../../sandbox/fake/fake-runtime.ts';
import { proberImageName } from '../../../../sandbox/image/helper-image.ts';
import { PeerImageRuntime } from '../../../../sandbox/image/peer-image-runtime.ts';

describe('warmImages', () => {
  it("loads the prober image and the assignment's runtime stand-in from a peer before the grading starts", async () => {
    const assignment = await loadAssignment();
    const own = new FakeRuntime({ images: {} });
    const peer = new FakeRuntime({ images: { [proberImageName('node')]: 'sha256:prober', 'takehome-grader/node:20-bookworm-slim': 'sha256:node', 'takehome-grader/golang:1.23-bookworm': 'sha256:go' } });
    const loaded: string[] = [];
    await warmImages(new PeerImageRuntime(own, [{ name: 'host', runtime: peer }], (copied) => loaded.push(copied.image)), assignment);
    expect(loaded.sort()).toEqual([proberImageName('node'), 'takehome-grader/node:20-bookworm-slim'].sort());
    // Another language's image waits until a submission asks for it.
    expect(await own.findImage('takehome-grader/golang:1.23-bookworm')).toBeNull();
  });

  it('never throws when no engine has them: the grading reports what is missing', async () => {
    const own = new FakeRuntime({ images: {} });
    await expect(warmImages(new PeerImageRuntime(own, []), await loadAssignment())).resolves.toBeUndefined();
  });
});
