import { z } from 'zod';

/**
 * What a check judges, in report order. Every renderer, summary and export iterates this
 * list; none spells an area by hand.
 */
export const AREAS = [
  'startup',
  'rate_limit',
  'pagination',
  'error_handling',
  'load',
  'security',
  'repo',
  /** What the server costs the host: memory, processes. */
  'resources',
  /** Behaviour an assignment defines for itself (idempotency, business rules). */
  'contract',
] as const;

export const areaSchema = z.enum(AREAS);
export type Area = z.infer<typeof areaSchema>;
