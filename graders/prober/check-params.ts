import { z } from 'zod';

/** What the checks know about the contract: filled in from the assignment manifest. */
export const checkParamsSchema = z.object({
  healthPath: z.string(),
  items: z.object({
    path: z.string(),
    createBody: z.record(z.string(), z.unknown()),
    idField: z.string(),
  }),
  pagination: z.object({
    style: z.enum(['cursor']),
    limitParam: z.string(),
    cursorParam: z.string(),
    dataField: z.string(),
    nextField: z.string(),
    pageSize: z.number().int().positive(),
    seedCount: z.number().int().positive(),
  }),
  rateLimit: z.object({
    identityHeader: z.string(),
    probePath: z.string(),
    /** The budget and window the instance under test was started with. */
    max: z.number().int().positive(),
    windowMs: z.number().int().positive(),
  }),
});
export type CheckParams = z.infer<typeof checkParamsSchema>;
