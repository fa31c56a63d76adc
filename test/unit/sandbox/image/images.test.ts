import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FakeRuntime } from '../../../../sandbox/fake/fake-runtime.ts';
import { buildHelperImage, helperImageName, resolveHelperImage } from '../../../../sandbox/image/helper-image.ts';
import { resolveImage } from '../../../../sandbox/image/resolve-image.ts';
import { LABELS } from '../../../../sandbox/labels.ts';

const quiet = { mirror: 'http://deb.debian.org/debian', force: false, log: () => undefined };

describe('the helper image', () => {
  it('is named by the host Node version', () => {
    expect(helperImageName()).toBe(`takehome-grader/prober:node${process.version.slice(1)}`);
  });

  it('is found when present, and its absence says which command builds it', async () => {
    await expect(resolveHelperImage(new FakeRuntime({ images: {} }))).rejects.toThrow(/npx grader image build/);
    const present = new FakeRuntime({ images: { [helperImageName()]: 'sha256:h' } });
    expect(await resolveHelperImage(present)).toEqual({ name: helperImageName(), id: 'sha256:h', substituteFor: null });
  });

  it('is not rebuilt while it carries the host Node version', async () => {
    const runtime = new FakeRuntime({ images: {} });
    await runtime.importImage(Readable.from([]), { name: helperImageName(), labels: { [LABELS.nodeVersion]: process.version } });
    expect(await buildHelperImage(runtime, quiet)).toMatchObject({ name: helperImageName(), built: false });
  });
});

describe('resolveImage', () => {
  it('takes the configured image, else its offline stand-in, else names the command that builds one', async () => {
    expect(await resolveImage(new FakeRuntime({ images: { 'node:20': 'sha256:a', 'takehome-grader/node:20': 'sha256:b' } }), 'node:20')).toEqual({ name: 'node:20', id: 'sha256:a', substituteFor: null });
    expect(await resolveImage(new FakeRuntime({ images: { 'takehome-grader/node:20': 'sha256:b' } }), 'docker.io/library/node:20')).toEqual({
      name: 'takehome-grader/node:20',
      id: 'sha256:b',
      substituteFor: 'docker.io/library/node:20',
    });
    await expect(resolveImage(new FakeRuntime({ images: {} }), 'node:20')).rejects.toThrow(/npx grader image build.*takehome-grader\/node:20/);
  });
});
