import { CATALOGUE } from '../../graders/catalogue.ts';
import type { CheckDefinition } from '../../graders/check.ts';
import { LOAD_CHECKS, type LoadCheckDefinition } from '../../graders/load/load-checks.ts';
import type { SecurityCheckDefinition } from '../../graders/security/security-checks.ts';
import type { MemoryCheckDefinition } from '../../graders/resources/memory-check.ts';
import type { CheckMetadata } from '../results/check-results.ts';
import type { Assignment } from '../assignment/load-assignment.ts';
import { loadCustomChecks } from '../assignment/custom-checks.ts';
import { longestFirst, planInstanceRuns, type InstanceRun, type SharingMode } from './instance-runs.ts';
import { checkParams } from './prober-input.ts';
import { planSuites, type PlannedSuite } from './plan-suites.ts';
import type { PortCheckDefinition } from '../../graders/startup/listens-on-port.ts';
import { selectChecks, splitApplicable, splitLoadChecks, selectLoadChecks, selectMemoryCheck, selectPortCheck, selectSecurityChecks } from './select-checks.ts';

/** What one grading will run, decided from the assignment alone before any clock starts. */
export interface GradingPlan {
  /** Built-in and custom checks, in report order. */
  catalogue: readonly CheckDefinition[];
  checks: CheckDefinition[];
  /** Selected checks that do not fit the declared API, with why: reported as skipped, never started. */
  notApplicable: Array<{ check: CheckMetadata; reason: string }>;
  suites: PlannedSuite[];
  memoryCheck: MemoryCheckDefinition | null;
  portCheck: PortCheckDefinition | null;
  loadChecks: LoadCheckDefinition[];
  /** Judged from the grading's findings once every phase is over. */
  securityChecks: SecurityCheckDefinition[];
  runs: InstanceRun[];
  /** The assignment's own check files, bundled into the prober beside the built-in ones. */
  customCheckFiles: string[];
}

/**
 * Reads the assignment's own parts (custom checks, suites) and decides what runs: an
 * author's mistake here is a one-line UsageError before anything starts.
 */
export async function planGrading(assignment: Assignment, sharing: SharingMode = 'by-need'): Promise<GradingPlan> {
  const { manifest } = assignment;
  const custom = await loadCustomChecks(assignment, new Set([...CATALOGUE, ...LOAD_CHECKS].map((check) => check.id)));
  const catalogue = [...CATALOGUE, ...custom.checks];
  const { applicable: checks, notApplicable } = splitApplicable(manifest, selectChecks(manifest, catalogue));
  const load = splitLoadChecks(manifest, selectLoadChecks(manifest));
  const suites = await planSuites(assignment);
  return {
    catalogue,
    checks,
    notApplicable: [...notApplicable, ...load.notApplicable],
    suites,
    memoryCheck: selectMemoryCheck(manifest, checks),
    portCheck: selectPortCheck(manifest),
    loadChecks: load.applicable,
    securityChecks: selectSecurityChecks(manifest),
    // A hidden suite's own timeout is its only estimate; a tenth of it still ranks it early.
    runs: longestFirst(planInstanceRuns(checks, suites, sharing), (check) => check.expectedMs?.(checkParams(manifest, check.instance, [])) ?? 0, (run) => run.suite.spec.timeoutS * 100),
    customCheckFiles: custom.files,
  };
}
