import { SECURITY_CHECK_IDS, SECURITY_SCORING, securityChecks, type SecurityCheckDefinition } from '../../graders/security/security-checks.ts';
import { UsageError } from '../../core/errors.ts';
import type { Manifest } from '../../core/manifest.ts';
import { checkParams } from './prober-input.ts';
import type { CheckDefinition } from '../../graders/check.ts';
import { LOAD_CHECKS, type LoadCheckDefinition } from '../../graders/load/load-checks.ts';
import { listensOnPort, type PortCheckDefinition } from '../../graders/startup/listens-on-port.ts';
import { memoryCeilingCheck, type MemoryCheckDefinition } from '../../graders/resources/memory-check.ts';

/** The checks the manifest asks for (all that apply when it names none); an unknown id is the author's error. */
export function selectChecks(manifest: Manifest, catalogue: readonly CheckDefinition[]): CheckDefinition[] {
  if (manifest.checks.length === 0) return [...catalogue];
  const known = (id: string) => catalogue.some((check) => check.id === id) || LOAD_CHECKS.some((check) => check.id === id) || SECURITY_CHECK_IDS.includes(id) || id === listensOnPort.id;
  const unknown = manifest.checks.filter((id) => !known(id));
  if (unknown.length > 0) throw new UsageError(`assignment ${manifest.id} names unknown checks: ${unknown.join(', ')}`);
  return catalogue.filter((check) => manifest.checks.includes(check.id));
}

/**
 * Which selected checks fit the API the manifest declares (its pagination style, identity
 * mode, endpoints): each check decides for itself from the parameters it would run with.
 */
export function splitApplicable(
  manifest: Manifest,
  checks: readonly CheckDefinition[],
): { applicable: CheckDefinition[]; notApplicable: Array<{ check: CheckDefinition; reason: string }> } {
  const applicable: CheckDefinition[] = [];
  const notApplicable: Array<{ check: CheckDefinition; reason: string }> = [];
  for (const check of checks) {
    const reason = check.notApplicable?.(checkParams(manifest, check.instance, [])) ?? null;
    if (reason === null) applicable.push(check);
    else notApplicable.push({ check, reason });
  }
  return { applicable, notApplicable };
}

/**
 * A budget fixed in code cannot be relaxed for the load probe: against a rate-limited
 * path it would time 429s, not the API. Such a load is not applicable, and says so.
 */
export function splitLoadChecks(
  manifest: Manifest,
  checks: readonly LoadCheckDefinition[],
): { applicable: LoadCheckDefinition[]; notApplicable: Array<{ check: LoadCheckDefinition; reason: string }> } {
  const { fixed } = manifest.rateLimit;
  if (!fixed || !manifest.load.underRateLimit) return { applicable: [...checks], notApplicable: [] };
  const reason = `the rate limit is fixed in code (${fixed.max} per ${fixed.windowMs / 1000} s), so load on ${manifest.load.path} would measure 429 answers; point load.path at an unlimited route and set load.underRateLimit: false to measure it`;
  return { applicable: [], notApplicable: checks.map((check) => ({ check, reason })) };
}

export function selectLoadChecks(manifest: Manifest): LoadCheckDefinition[] {
  if (!manifest.load.enabled) return [];
  if (manifest.checks.length === 0) return [...LOAD_CHECKS];
  return LOAD_CHECKS.filter((check) => manifest.checks.includes(check.id));
}

/**
 * The harness-judged port check: judged whenever the server starts (it costs no request),
 * whatever checks the manifest selects.
 */
export function selectPortCheck(_manifest: Manifest): PortCheckDefinition {
  return listensOnPort;
}

/** The memory ceiling check, when the manifest sets a ceiling over checks that do run. */
/** The security area's checks: all of them, or those the manifest's `checks` names. */
export function selectSecurityChecks(manifest: Manifest): SecurityCheckDefinition[] {
  const all = securityChecks(SECURITY_SCORING);
  return manifest.checks.length === 0 ? all : all.filter((check) => manifest.checks.includes(check.id));
}

export function selectMemoryCheck(manifest: Manifest, checks: readonly CheckDefinition[]): MemoryCheckDefinition | null {
  const { ceilingMb, during, tier, points } = manifest.memory;
  if (ceilingMb === undefined) return null;
  const runnable = new Set([...checks.map((check) => check.id), ...manifest.suites.map((suite) => suite.id)]);
  const unknown = during.filter((id) => !runnable.has(id));
  if (unknown.length > 0) throw new UsageError(`assignment ${manifest.id}: memory.during names checks that do not run: ${unknown.join(', ')}`);
  return memoryCeilingCheck({ ceilingMb, during, tier, points });
}
