import { z } from 'zod';
import { manifestSchema } from './manifest.ts';

const manifest = manifestSchema.shape;

/**
 * What the checks know about the contract: the manifest's own sections, so the two cannot
 * drift. Only the rate-limit budget differs: it is the one the instance under test was
 * started with (a profile's), not the manifest's pair of budgets.
 */
export const checkParamsSchema = z.object({
  healthPath: manifest.runtime.unwrap().shape.healthPath,
  items: manifest.items.unwrap(),
  pagination: manifest.pagination.unwrap(),
  errors: manifest.errors.unwrap(),
  rateLimit: manifest.rateLimit
    .unwrap()
    .pick({ identityHeader: true, probePath: true })
    .extend({
      max: z.number().int().positive(),
      windowMs: z.number().int().positive(),
    }),
  /**
   * Runtime-specific signs of internals in a response (a JS stack frame, a Python
   * traceback), from the toolchains: regular expression sources with what they mean.
   */
  leakPatterns: z.array(z.object({ label: z.string(), pattern: z.string() })).default([]),
});
export type CheckParams = z.infer<typeof checkParamsSchema>;
