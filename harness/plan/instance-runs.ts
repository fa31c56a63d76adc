import { INSTANCE_PROFILES, type InstanceProfile } from '../../core/profiles.ts';
import type { CheckDefinition } from '../../graders/check.ts';
import type { PlannedSuite } from './plan-suites.ts';

/** One candidate instance and what runs against it: a list of checks, or one hidden suite. */
export type InstanceRun =
  | { kind: 'checks'; profile: InstanceProfile; label: string; checks: CheckDefinition[]; shared: boolean }
  | { kind: 'suite'; profile: InstanceProfile; label: string; suite: PlannedSuite };

/** How far sharing goes: by what each check declares it needs, or every check on its own (the proof that sharing changes no verdict). */
export type SharingMode = 'by-need' | 'all-fresh';

/**
 * Per profile: the checks that need nothing of their own (or only a fresh identity) on one
 * instance; the checks that judge against the tracked collection on a second, one after
 * another; each check that needs a process of its own alone. Then each hidden suite on a
 * fresh instance. The instance the start phase brought up serves the first shared run of
 * its profile (see `reusesStarted`).
 */
export function planInstanceRuns(checks: readonly CheckDefinition[], suites: readonly PlannedSuite[], mode: SharingMode = 'by-need'): InstanceRun[] {
  const alone = (check: CheckDefinition) => mode === 'all-fresh' || check.isolation.need === 'process';
  const checkRuns = INSTANCE_PROFILES.flatMap((profile): InstanceRun[] => {
    const own = checks.filter((check) => check.instance === profile);
    const shared = own.filter((check) => !alone(check) && (check.isolation.need === 'nothing' || check.isolation.need === 'identity'));
    const collection = own.filter((check) => !alone(check) && check.isolation.need === 'collection');
    const fresh = own.filter(alone);
    return [
      ...(shared.length > 0 ? [{ kind: 'checks' as const, profile, shared: true, checks: shared, label: `${profile} instance` }] : []),
      ...(collection.length > 0 ? [{ kind: 'checks' as const, profile, shared: false, checks: collection, label: `${profile} instance for the collection checks` }] : []),
      ...fresh.map((check) => ({ kind: 'checks' as const, profile, shared: false, checks: [check], label: `${profile} instance for ${check.id}` })),
    ];
  });
  const suiteRuns = suites.map((suite): InstanceRun => ({
    kind: 'suite',
    profile: suite.spec.instance,
    suite,
    label: `${suite.spec.instance} instance for suite ${suite.spec.id}`,
  }));
  return [...checkRuns, ...suiteRuns];
}

/** The start phase's instance (relaxed) is handed to the first shared relaxed run, if there is one. */
export function reusesStarted(run: InstanceRun, startedProfile: InstanceProfile): boolean {
  return run.kind === 'checks' && run.shared && run.profile === startedProfile;
}

/** Check ids a run reports on (a suite's own id stands for its tests). */
export function runCheckIds(run: InstanceRun): string[] {
  return run.kind === 'checks' ? run.checks.map((check) => check.id) : [run.suite.spec.id];
}

/**
 * The runs, longest expected first (stable otherwise), so that with several instances at
 * once the ones that wait on purpose (a recovery window, a flood, a hidden suite) start at
 * the beginning and the quick ones fill the gaps instead of trailing at the end.
 */
export function longestFirst(runs: readonly InstanceRun[], expectedMs: (check: CheckDefinition) => number, suiteMs: (run: Extract<InstanceRun, { kind: 'suite' }>) => number): InstanceRun[] {
  const estimate = (run: InstanceRun) => (run.kind === 'suite' ? suiteMs(run) : run.checks.reduce((sum, check) => sum + expectedMs(check), 0));
  return runs
    .map((run, index) => ({ run, index, ms: estimate(run) }))
    .sort((a, b) => b.ms - a.ms || a.index - b.index)
    .map(({ run }) => run);
}
