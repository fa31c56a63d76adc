import { z } from 'zod';

/** The part of the engine's stats answer we read; cgroup v1 and v2 name the figures alike here. */
const memoryStatsSchema = z.object({
  memory_stats: z
    .object({
      usage: z.number().nonnegative().optional(),
      stats: z.record(z.string(), z.number()).optional(),
    })
    .optional(),
});

/**
 * usage − inactive_file (v2, and v1's total_inactive_file), as cAdvisor computes it; null
 * when absent. cgroup v1's `max_usage` would include page cache, and v2 has no peak at all,
 * so the peak is kept from these samples instead.
 */
export function workingSetBytes(raw: unknown): number | null {
  const parsed = memoryStatsSchema.safeParse(raw);
  const stats = parsed.success ? parsed.data.memory_stats : undefined;
  if (!stats || stats.usage === undefined || stats.usage === 0) return null;
  const inactive = stats.stats?.total_inactive_file ?? stats.stats?.inactive_file ?? 0;
  return Math.max(0, stats.usage - Math.min(inactive, stats.usage));
}
