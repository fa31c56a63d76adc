import { AREAS, type Area } from '../core/areas.ts';
import type { CheckResult, Report } from '../core/report.ts';
import { CHECK_STATUSES, type CheckStatus } from '../core/statuses.ts';

/**
 * Where a status sorts when checks are listed for a reviewer: what needs attention first.
 * A Record over the core type, so a new status does not compile until it has a place.
 */
export const STATUS_RANK: Record<CheckStatus, number> = { fail: 0, error: 1, not_run: 2, pass: 3, skip: 4 };

/** CHECK_STATUSES in the order a reviewer reads them (see STATUS_RANK). */
export const STATUSES_BY_RANK: readonly CheckStatus[] = [...CHECK_STATUSES].sort((a, b) => STATUS_RANK[a] - STATUS_RANK[b]);

export function byStatusRank(a: CheckResult, b: CheckResult): number {
  return STATUS_RANK[a.status] - STATUS_RANK[b.status];
}

/**
 * The areas these checks cover, in AREAS order. Renderers show exactly these: an area with
 * checks must never vanish from a table, and an empty area is noise.
 */
export function areasWithChecks(checks: readonly Pick<CheckResult, 'area'>[]): Area[] {
  const present = new Set(checks.map((check) => check.area));
  return AREAS.filter((area) => present.has(area));
}

export interface AreaTally {
  area: Area;
  checks: CheckResult[];
  passed: number;
  /** Per status, so a table can say what the unpassed checks were. */
  counts: Record<CheckStatus, number>;
  points: number;
  maxPoints: number;
  /** Must-tier checks only: what decides the grade. */
  must: { passed: number; total: number };
}

function tally(area: Area, checks: CheckResult[]): AreaTally {
  const counts = Object.fromEntries(CHECK_STATUSES.map((status) => [status, checks.filter((check) => check.status === status).length])) as Record<CheckStatus, number>;
  const must = checks.filter((check) => check.tier === 'must');
  return {
    area,
    checks,
    passed: counts.pass,
    counts,
    points: checks.reduce((sum, check) => sum + check.points, 0),
    maxPoints: checks.reduce((sum, check) => sum + check.maxPoints, 0),
    must: { passed: must.filter((check) => check.status === 'pass').length, total: must.length },
  };
}

/** One tally per area that has checks in the report, in AREAS order. */
export function tallyByArea(report: Pick<Report, 'checks'>): AreaTally[] {
  return areasWithChecks(report.checks).map((area) => tally(area, report.checks.filter((check) => check.area === area)));
}

/**
 * The verdict a table shows at a glance: a check seen failing fails the area; otherwise a
 * check that could not run or errored leaves it incomplete (not enough to say it passed,
 * and never counted as a failure); otherwise every judged check passed.
 */
export type AreaVerdict = 'pass' | 'fail' | 'incomplete';

export function areaVerdict(entry: AreaTally): AreaVerdict {
  if (entry.counts.fail > 0) return 'fail';
  if (entry.counts.not_run > 0 || entry.counts.error > 0) return 'incomplete';
  return 'pass';
}

/** "3 pass, 1 fail, 1 error" — only the statuses that occur, in CHECK_STATUSES order. */
export function statusCounts(counts: Record<CheckStatus, number>): string {
  return CHECK_STATUSES.filter((status) => counts[status] > 0)
    .map((status) => `${counts[status]} ${status}`)
    .join(', ');
}
