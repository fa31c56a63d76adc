import type { RepoFiles } from '../../../../sandbox/toolchains/toolchain.ts';

/** RepoFiles over an in-memory folder: path → content. */
export function fakeRepo(files: Record<string, string>): RepoFiles {
  return {
    has: (path) => Object.hasOwn(files, path),
    read: async (path) => files[path] ?? null,
  };
}

/** The regular expressions of a toolchain's leak patterns that match a body. */
export function leaksIn(patterns: ReadonlyArray<{ label: string; pattern: string }>, body: string): string[] {
  return patterns.filter(({ pattern }) => new RegExp(pattern).test(body)).map(({ label }) => label);
}
