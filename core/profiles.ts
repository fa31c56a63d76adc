import { z } from 'zod';

/**
 * The kinds of candidate instance a check can run against, in the order they run.
 * `rate_limit`: started with a small budget so limiter checks finish in seconds;
 * `relaxed`: a budget so large that a 429 never gets in the way.
 */
export const INSTANCE_PROFILES = ['relaxed', 'rate_limit'] as const;
export const instanceProfileSchema = z.enum(INSTANCE_PROFILES);
export type InstanceProfile = z.infer<typeof instanceProfileSchema>;
