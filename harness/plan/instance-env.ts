import type { Manifest } from '../../core/manifest.ts';
import { INSTANCE_PROFILES, type InstanceProfile } from '../../core/profiles.ts';
import type { Toolchain } from '../../sandbox/toolchains/toolchain.ts';

/** The rate-limit budget an instance of this profile runs with: the fixed one when the code hard-codes it. */
export function budgetFor(manifest: Manifest, profile: InstanceProfile): { max: number; windowMs: number } {
  if (manifest.rateLimit.fixed) return manifest.rateLimit.fixed;
  return profile === 'rate_limit' ? manifest.rateLimit.probe : manifest.rateLimit.relaxed;
}

/**
 * What the candidate's server sees: the toolchain's runtime env, the manifest's, then the
 * contract's own variables (PORT and the budget), which nothing may override.
 */
export function instanceEnv(manifest: Manifest, toolchain: Toolchain, profile: InstanceProfile): Record<string, string> {
  const { rateLimit, runtime } = manifest;
  const budget = budgetFor(manifest, profile);
  return {
    ...toolchain.runEnv,
    ...runtime.env,
    PORT: String(runtime.port),
    // A budget fixed in code reads no variables; setting them would only mislead the report.
    ...(rateLimit.fixed ? {} : { [rateLimit.maxEnv]: String(budget.max), [rateLimit.windowEnv]: String(budget.windowMs) }),
  };
}

/** Every profile's env, for the report. */
export function envByProfile(manifest: Manifest, toolchain: Toolchain): Record<InstanceProfile, Record<string, string>> {
  return Object.fromEntries(INSTANCE_PROFILES.map((profile) => [profile, instanceEnv(manifest, toolchain, profile)])) as Record<InstanceProfile, Record<string, string>>;
}
