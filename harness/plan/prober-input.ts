import type { CheckParams } from '../../core/check-params.ts';
import type { Manifest } from '../../core/manifest.ts';
import type { InstanceProfile } from '../../core/profiles.ts';
import type { ProberInput } from '../../graders/prober/protocol.ts';
import type { LeakPattern } from '../../sandbox/toolchains/toolchain.ts';
import { budgetFor } from './instance-env.ts';

const CHECK_TIMEOUT_MS = 30_000;

/** What the checks know of the contract, for an instance of this profile. */
export function checkParams(manifest: Manifest, profile: InstanceProfile, leakPatterns: readonly LeakPattern[]): CheckParams {
  const budget = budgetFor(manifest, profile);
  return {
    healthPath: manifest.runtime.healthPath,
    items: manifest.items,
    pagination: manifest.pagination,
    errors: manifest.errors,
    rateLimit: {
      identity: manifest.rateLimit.identity,
      identityHeader: manifest.rateLimit.identityHeader,
      trustProxy: manifest.rateLimit.trustProxy,
      maxWaitS: manifest.rateLimit.maxWaitS,
      probePath: manifest.rateLimit.probePath,
      max: budget.max,
      windowMs: budget.windowMs,
      fixed: manifest.rateLimit.fixed !== undefined,
    },
    leakPatterns: [...leakPatterns],
  };
}

/** The prober's instructions for one instance; `mode` and its settings are added per use. */
export function proberInput(
  manifest: Manifest,
  options: { profile: InstanceProfile; checkIds: string[]; nonce: string; leakPatterns: readonly LeakPattern[]; port?: number },
): ProberInput {
  return {
    // The port the server answered on when it ignores $PORT; the prober still checks that one first.
    baseUrl: `http://127.0.0.1:${options.port ?? manifest.runtime.port}`,
    mode: 'checks',
    instance: options.profile,
    readiness: { path: manifest.runtime.healthPath, deadlineMs: manifest.deadlines.start * 1000, intervalMs: 50 },
    checkIds: options.checkIds,
    checkTimeoutMs: CHECK_TIMEOUT_MS,
    params: checkParams(manifest, options.profile, options.leakPatterns),
    nonce: options.nonce,
  };
}
