import { z } from 'zod';

/** must: decides the grade; signal: information a reviewer weighs. */
export const TIERS = ['must', 'signal'] as const;
export const tierSchema = z.enum(TIERS);
export type Tier = z.infer<typeof tierSchema>;

/**
 * How one check ended. `fail` only when the check ran and saw the server get it wrong;
 * `not_run` when it never ran (a deadline passed, a prerequisite failed, the instance
 * never came up), with the reason and whose fault it is, its points withheld but never
 * counted as a failure; `error` when the harness or the assignment's author broke it;
 * `skip` when it ran and found nothing to judge (out of the score).
 */
export const CHECK_STATUSES = ['pass', 'fail', 'error', 'not_run', 'skip'] as const;
export const checkStatusSchema = z.enum(CHECK_STATUSES);
export type CheckStatus = z.infer<typeof checkStatusSchema>;
