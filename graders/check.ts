import type { Area } from '../core/areas.ts';
import type { CheckParams } from '../core/check-params.ts';
import type { InstanceProfile } from '../core/profiles.ts';
import type { CheckStatus, Tier } from '../core/statuses.ts';
import type { TrackedCollection } from './checks/pagination/tracked-collection.ts';
import type { ProbeClient } from './http/probe-client.ts';

export interface CheckContext {
  http: ProbeClient;
  params: CheckParams;
  /** A value unique to this run, for fresh API keys and names. */
  nonce: string;
  signal: AbortSignal;
  /** The items created on this instance so far, shared by the checks that run on it. */
  collection: TrackedCollection;
}

export interface CheckOutcome {
  status: Exclude<CheckStatus, 'skip'> | 'skip';
  message: string;
}

/**
 * What a check needs from its server instance, from least to most:
 * - 'nothing': it reads, or writes nothing another check judges; it shares the profile's
 *   instance with the other such checks.
 * - 'identity': a rate-limit identity of its own is enough (the probe client gives each
 *   check fresh keys and source addresses); it shares the profile's instance too.
 * - 'collection': it adds items only through the instance's tracked collection and judges
 *   against that record; such checks share one instance of their own, one after another.
 * - 'process': an empty store, an untouched limiter, or a server it may crash; its own instance.
 * `why` is the one-line justification a reviewer reads beside the declaration.
 */
export const ISOLATION_NEEDS = ['nothing', 'identity', 'collection', 'process'] as const;
export type IsolationNeed = (typeof ISOLATION_NEEDS)[number];
export interface Isolation {
  need: IsolationNeed;
  why: string;
}

/** One named, self-describing unit of grading (Schemathesis style). */
export interface CheckDefinition {
  id: string;
  area: Area;
  tier: Tier;
  title: string;
  points: number;
  /** Where the expectation comes from. */
  standard: string;
  /** The explicit set of answers that pass. */
  accepted: string;
  instance: InstanceProfile;
  /** What the check needs from the instance it runs on, and why (see `Isolation`). */
  isolation: Isolation;
  /**
   * Why this check does not apply to the API the assignment declares (another pagination
   * style, no create endpoint), or null. Decided before any instance starts; the report
   * shows it as skipped with this reason.
   */
  notApplicable?(params: CheckParams): string | null;
  /**
   * Roughly how long the check waits on purpose (sitting out a window, a flood of fixed
   * length), so the planner starts the slow instances first and the fast ones fill the
   * gaps. Checks that only send requests leave it out.
   */
  expectedMs?(params: CheckParams): number;
  run(ctx: CheckContext): Promise<CheckOutcome>;
}

export const pass = (message: string): CheckOutcome => ({ status: 'pass', message });
export const fail = (message: string): CheckOutcome => ({ status: 'fail', message });

/** An outcome that is information for the reviewer, out of the score. */
export const info = (message: string): CheckOutcome => ({ status: 'skip', message: `information: ${message}` });
