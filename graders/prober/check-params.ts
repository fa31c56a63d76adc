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
    nextFrom: z.enum(['body', 'link-header']),
    nextField: z.string(),
    pageSize: z.number().int().positive(),
    seedCount: z.number().int().positive(),
    defaultLimit: z.number().int().positive(),
    maxLimit: z.number().int().positive(),
    invalidLimit: z.enum(['reject', 'reject-or-clamp']),
    orderField: z.string(),
  }),
  errors: z.object({
    validationStatuses: z.array(z.number().int()),
    maxBodyBytes: z.number().int().positive(),
    unsupportedMediaStatuses: z.array(z.number().int()),
    requiredFields: z.array(z.string()),
    stringField: z.string(),
    stringMaxLength: z.number().int().positive(),
    integerField: z.string(),
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
