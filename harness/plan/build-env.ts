import type { CacheMount, Toolchain } from '../../sandbox/toolchains/toolchain.ts';

/**
 * Env for an install, build or test step: the toolchain's own, pointed at the caches that
 * are mounted and at the CA bundle when one was copied in, then the step's extras.
 */
export function buildEnv(
  toolchain: Toolchain,
  options: { caches: readonly CacheMount[]; caPath: string | null; extra?: Record<string, string>; host?: NodeJS.ProcessEnv },
): Record<string, string> {
  const env: Record<string, string> = { ...toolchain.buildEnv };
  const host = options.host ?? process.env;
  for (const name of toolchain.hostEnv ?? []) {
    const value = host[name];
    if (value !== undefined) env[name] = value;
  }
  for (const cache of options.caches) Object.assign(env, cache.env);
  if (options.caPath) for (const name of toolchain.caBundleEnv) env[name] = options.caPath;
  return { ...env, CI: 'true', ...options.extra };
}
