import { z } from 'zod';

export const LEVELS = ['exceeds', 'meets', 'below'] as const;
export const RECOMMENDATIONS = ['advance', 'reject', 'unsure'] as const;
/** The hiring guides' rejection reasons, fixed so they can be counted across candidates. */
export const REJECT_REASONS = [
  'shallow-design',
  'poor-debugging',
  'no-production-experience',
  'unclear-communication',
  'security-reliability-blind-spots',
  'other',
] as const;

export const reviewSchema = z
  .object({
    reviewer: z.string().min(1).max(80),
    reviewedAt: z.iso.datetime(),
    reportJobId: z.string(),
    criteria: z.array(z.object({ criterion: z.string(), level: z.enum(LEVELS), note: z.string().max(4000).default('') })),
    recommendation: z.enum(RECOMMENDATIONS),
    rejectReason: z.enum(REJECT_REASONS).nullable(),
    note: z.string().max(8000).default(''),
  })
  .refine((review) => review.recommendation !== 'reject' || review.rejectReason !== null, {
    message: 'a reject needs a primary reason',
    path: ['rejectReason'],
  });
export type Review = z.infer<typeof reviewSchema>;
