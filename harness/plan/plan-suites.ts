import { stat } from 'node:fs/promises';
import path from 'node:path';
import { PackLimitError, planPack } from '../../sandbox/copy/pack-directory.ts';
import type { ProberFiles } from '../../sandbox/sandbox-job.ts';
import type { Assignment } from '../assignment/load-assignment.ts';
import type { SuiteManifest } from '../../core/manifest.ts';
import { UsageError } from '../../core/errors.ts';
import type { CheckMetadata } from '../results/check-results.ts';

export interface PlannedSuite {
  spec: SuiteManifest;
  /** The suite's folder as the prober sees it. */
  cwd: string;
  files: ProberFiles;
}

/** Finds each hidden suite's folder and plans its copy into the prober; a missing folder is the author's error. */
export async function planSuites(assignment: Assignment): Promise<PlannedSuite[]> {
  const planned: PlannedSuite[] = [];
  for (const spec of assignment.manifest.suites) {
    const root = path.join(assignment.dir, spec.dir);
    const info = await stat(root).catch(() => null);
    if (!info?.isDirectory()) throw new UsageError(`assignment ${assignment.manifest.id}: suite ${spec.id}: folder ${spec.dir} not found in ${assignment.dir}`);
    const plan = await planPack(root).catch((error: unknown) => {
      if (error instanceof PackLimitError) throw new UsageError(`assignment ${assignment.manifest.id}: suite ${spec.id}: ${error.message}`);
      throw error;
    });
    const prefix = `suites/${spec.id}`;
    // Relative to the prober's own working folder (each prober has one in the code volume).
    planned.push({ spec, cwd: prefix, files: { root, plan, prefix } });
  }
  return planned;
}

/** Stands for a suite whose tests are not known (it did not run, or reported nothing). */
export function suitePlaceholder(spec: SuiteManifest): CheckMetadata {
  return {
    id: spec.id,
    area: spec.area,
    tier: spec.tier,
    title: spec.title,
    points: spec.pointsPerTest,
    standard: spec.standard,
    accepted: 'the hidden test suite runs and its tests pass',
  };
}
