import type { Evidence, Report, Tier } from '../../core/report.ts';
import type { CheckDefinition, CheckOutcome } from '../check.ts';

export type InstanceMemory = Report['resources'][number];

export type MemoryCheckDefinition = Omit<CheckDefinition, 'run' | 'instance' | 'isolation'> & {
  evaluate(instances: readonly InstanceMemory[]): CheckOutcome & { evidence: Evidence[] };
};

const mb = (value: number) => `${value.toFixed(1)} MiB`;

/**
 * Judged by the harness, not the prober: the engine's stats for the instances that ran
 * the named checks (a key-churn check, say) must stay under the manifest's ceiling.
 */
export function memoryCeilingCheck(options: { ceilingMb: number; during: readonly string[]; tier: Tier; points: number }): MemoryCheckDefinition {
  const scope = options.during.length > 0 ? `the instances that ran ${options.during.join(', ')}` : 'every instance that ran checks';
  return {
    id: 'resources.peak-memory',
    area: 'resources',
    tier: options.tier,
    title: `Peak memory stays under ${options.ceilingMb} MiB`,
    points: options.points,
    standard: `Assignment contract: the server's working set stays bounded (ceiling ${options.ceilingMb} MiB, from the engine's stats)`,
    accepted: `peak working set (usage minus inactive file cache, sampled about once a second and once more before the instance stops) ≤ ${options.ceilingMb} MiB on ${scope}`,
    evaluate(all) {
      const judged = all.filter((entry) => options.during.length === 0 || entry.checks.some((id) => options.during.includes(id)));
      const evidence: Evidence[] = all.map((entry) => ({
        note: `${entry.instance}${judged.includes(entry) ? '' : ' (not judged)'}: peak ${entry.peakMemoryMb === null ? 'unknown' : mb(entry.peakMemoryMb)} over ${entry.samples} samples; ran ${entry.checks.join(', ') || 'no checks'}`,
      }));
      const measured = judged.filter((entry): entry is InstanceMemory & { peakMemoryMb: number } => entry.peakMemoryMb !== null);
      if (measured.length === 0) {
        return { status: 'error', message: `no memory figures for ${scope}: the engine's stats gave none`, evidence };
      }
      const worst = measured.reduce((a, b) => (b.peakMemoryMb > a.peakMemoryMb ? b : a));
      const status = worst.peakMemoryMb <= options.ceilingMb ? 'pass' : 'fail';
      return {
        status,
        message: `peak ${mb(worst.peakMemoryMb)} on the ${worst.instance} (ceiling ${options.ceilingMb} MiB)`,
        evidence,
      };
    },
  };
}
