import { z } from 'zod';

/** must: decides the grade; signal: information a reviewer weighs. */
export const TIERS = ['must', 'signal'] as const;
export const tierSchema = z.enum(TIERS);
export type Tier = z.infer<typeof tierSchema>;

/**
 * How one check ended. `error` is the harness's or the author's problem, never the
 * candidate's; `skip` is a check that did not run (or found nothing to judge).
 */
export const CHECK_STATUSES = ['pass', 'fail', 'error', 'skip'] as const;
export const checkStatusSchema = z.enum(CHECK_STATUSES);
export type CheckStatus = z.infer<typeof checkStatusSchema>;
