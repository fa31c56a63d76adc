import type { Area } from '../core/areas.ts';
import type { CheckParams } from '../core/check-params.ts';
import type { InstanceProfile } from '../core/profiles.ts';
import type { CheckStatus, Tier } from '../core/statuses.ts';
import type { ProbeClient } from './http/probe-client.ts';

export interface CheckContext {
  http: ProbeClient;
  params: CheckParams;
  /** A value unique to this run, for fresh API keys and names. */
  nonce: string;
  signal: AbortSignal;
}

export interface CheckOutcome {
  status: Exclude<CheckStatus, 'skip'> | 'skip';
  message: string;
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
  /**
   * 'fresh': the check gets a server instance of its own, so state left by another check
   * (an exhausted global bucket, items in the collection) cannot decide its verdict.
   */
  isolation?: 'shared' | 'fresh';
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
