import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { FakeRuntime } from '../../../../sandbox/fake/fake-runtime.ts';
import { RECIPE_LABEL, STAND_IN_LABEL, recipeHash } from '../../../../sandbox/image/build-image.ts';
import { buildOfflineImage } from '../../../../sandbox/image/build-offline-image.ts';
import { buildHelperImage, helperImageName, proberImageName, proberRecipe, resolveHelperImage, resolveProberImage } from '../../../../sandbox/image/helper-image.ts';
import { resolveImage } from '../../../../sandbox/image/resolve-image.ts';
import { findStandIn, standInRecipe } from '../../../../sandbox/image/stand-ins.ts';
import { TOOLCHAINS, toolchainImages } from '../../../../sandbox/toolchains/toolchains.ts';

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

  it('is not rebuilt while it carries the hash of its recipe (which holds the host Node version)', async () => {
    const runtime = new FakeRuntime({ images: {} });
    await runtime.importImage(Readable.from([]), { name: helperImageName(), labels: { [RECIPE_LABEL]: recipeHash(proberRecipe('node')) } });
    expect(await buildHelperImage(runtime, quiet)).toMatchObject({ name: helperImageName(), built: false });
  });
});

describe('the prober image of a suite runner', () => {
  it('is the helper image for node suites, and a python3 + pytest variant of it for python suites', () => {
    expect(proberImageName('node')).toBe(helperImageName());
    expect(proberImageName('python')).toBe(`takehome-grader/prober-python:node${process.version.slice(1)}`);
    expect(proberRecipe('python')).toMatchObject({ addNode: true, addNpm: false, user: 'node', packages: ['python3', 'python3-pytest'] });
  });

  it('is found when present, and its absence names the build command', async () => {
    await expect(resolveProberImage(new FakeRuntime({ images: {} }), 'python')).rejects.toThrow(/prober image for python suites .*npx grader image build/);
    const present = new FakeRuntime({ images: { [proberImageName('python')]: 'sha256:p' } });
    expect(await resolveProberImage(present, 'python')).toEqual({ name: proberImageName('python'), id: 'sha256:p', substituteFor: null });
  });
});

describe('offline stand-ins', () => {
  it('exist for every image a toolchain names, under takehome-grader/<name>', async () => {
    for (const image of new Set(TOOLCHAINS.flatMap(toolchainImages))) {
      expect(findStandIn(image), image).toBeDefined();
    }
    expect(findStandIn('docker.io/library/python:3.12-slim')?.configured).toBe('python:3.12-slim');
    expect(findStandIn('ruby:3')).toBeUndefined();
    await expect(standInRecipe('ruby:3')).rejects.toThrow(/no offline recipe for ruby:3/);
  });

  it('say in a label how they differ from the image they stand in for', async () => {
    const python = await standInRecipe('python:3.12-slim');
    expect(python.name).toBe('takehome-grader/python:3.12-slim');
    expect(python.labels?.[STAND_IN_LABEL]).toBe("python:3.12-slim: Debian bookworm's Python 3.11 standing in for 3.12");
    expect(python.packages).toEqual(['python3', 'python3-venv', 'python3-pip', 'ca-certificates']);
    expect(python.links).toMatchObject({ '/usr/local/bin/python': '/usr/bin/python3' });
    const maven = await standInRecipe('maven:3-eclipse-temurin-21');
    expect(maven.labels?.[STAND_IN_LABEL]).toMatch(/OpenJDK 17 .* standing in for Temurin 21/);
    expect(maven.packages).toEqual(expect.arrayContaining(['openjdk-17-jdk-headless', 'maven']));
    expect((await standInRecipe('eclipse-temurin:21-jre')).packages).toEqual(expect.arrayContaining(['openjdk-17-jre-headless']));
  });

  it("copy this machine's Go root to /usr/local/go and rebuild when its version changes", async () => {
    const go = await standInRecipe('golang:1.23-bookworm');
    expect(go.copies?.[0]).toMatchObject({ to: '/usr/local/go' });
    expect(go.hostVersions?.go).toMatch(/^go\d/);
    expect(go.env?.PATH).toMatch(/^\/go\/bin:\/usr\/local\/go\/bin:/);
    expect(recipeHash({ ...go, hostVersions: { go: 'go0.0.1' } })).not.toBe(recipeHash(go));
  });

  it('are rebuilt when their packages change, whatever the order they are listed in', () => {
    const base = { name: 'takehome-grader/x:1', addNode: false, addNpm: false, packages: ['a', 'b'] };
    expect(recipeHash({ ...base, packages: ['b', 'a'] })).toBe(recipeHash(base));
    expect(recipeHash({ ...base, packages: ['a', 'b', 'c'] })).not.toBe(recipeHash(base));
  });

  it('are kept while their recipe label matches', async () => {
    const recipe = await standInRecipe('debian:bookworm-slim');
    const runtime = new FakeRuntime({ images: {} });
    await runtime.importImage(Readable.from([]), { name: recipe.name, labels: { [RECIPE_LABEL]: recipeHash(recipe) } });
    expect(await buildOfflineImage(runtime, { ...quiet, configured: 'debian:bookworm-slim' })).toMatchObject({ name: 'takehome-grader/debian:bookworm-slim', built: false });
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
