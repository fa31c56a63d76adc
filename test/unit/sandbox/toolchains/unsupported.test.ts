import { describe, expect, it } from 'vitest';
import { detectUnsupported, TOOLCHAINS, toolchainImages } from '../../../../sandbox/toolchains/toolchains.ts';
import { fakeRepo } from './fake-repo.ts';

describe('detectUnsupported', () => {
  it.each(['build.gradle', 'build.gradle.kts', 'settings.gradle.kts'])('names Gradle for %s, with a --image/--start hint', (file) => {
    const found = detectUnsupported(fakeRepo({ [file]: '', gradlew: '' }));
    expect(found?.title).toBe('Java or Kotlin with Gradle');
    expect(found?.because).toContain(`found ${file} (with a gradlew wrapper)`);
    expect(found?.hint).toMatch(/--image <a JDK image.*--start "<command>"/);
  });

  it('says nothing when Maven builds it too, or when no known build file is there', () => {
    expect(detectUnsupported(fakeRepo({ 'build.gradle': '', 'pom.xml': '<project/>' }))).toBeNull();
    expect(detectUnsupported(fakeRepo({ 'package.json': '{}' }))).toBeNull();
    expect(detectUnsupported(fakeRepo({}))).toBeNull();
  });

  it('is consistent with detection: no toolchain applies where it reports Gradle', () => {
    const files = fakeRepo({ 'build.gradle.kts': '', 'src/main/kotlin/App.kt': '' });
    expect(detectUnsupported(files)).not.toBeNull();
    expect(TOOLCHAINS.filter((toolchain) => toolchain.detect(files))).toEqual([]);
  });
});

describe('toolchainImages', () => {
  it('lists the build image, then the slimmer run image when there is one', () => {
    const byId = Object.fromEntries(TOOLCHAINS.map((toolchain) => [toolchain.id, toolchainImages(toolchain)]));
    expect(byId).toEqual({
      node: ['node:20-bookworm-slim'],
      python: ['python:3.12-slim'],
      go: ['golang:1.23-bookworm', 'debian:bookworm-slim'],
      java: ['maven:3-eclipse-temurin-21', 'eclipse-temurin:21-jre'],
      command: ['debian:bookworm-slim'],
    });
  });
});
