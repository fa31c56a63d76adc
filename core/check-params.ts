import { z } from 'zod';
import { errorsSchema, itemsSchema, rateLimitSchema } from './manifest.ts';
import { paginationSchema } from './pagination-manifest.ts';

/**
 * What the checks know about the contract: the manifest's own sections, so the two cannot
 * drift. Only the rate-limit budget differs: it is the one the instance under test was
 * started with (a profile's, or the fixed one), not the manifest's pair of budgets.
 */
export const checkParamsSchema = z.object({
  healthPath: z.string(),
  items: itemsSchema,
  pagination: paginationSchema,
  errors: errorsSchema,
  rateLimit: rateLimitSchema
    .unwrap()
    .pick({ identity: true, identityHeader: true, trustProxy: true, probePath: true, maxWaitS: true })
    .extend({
      max: z.number().int().positive(),
      windowMs: z.number().int().positive(),
      /** true when the budget is hard-coded: no instance can be started with a bigger one. */
      fixed: z.boolean(),
    }),
  /**
   * Runtime-specific signs of internals in a response (a JS stack frame, a Python
   * traceback), from the toolchains: regular expression sources with what they mean.
   */
  leakPatterns: z.array(z.object({ label: z.string(), pattern: z.string() })).default([]),
});
export type CheckParams = z.infer<typeof checkParamsSchema>;
