import { describe, expect, it } from 'vitest';
import { judge, type Subject } from '../../../../harness/assignment/validate-assignment.ts';
import { sampleReport } from '../../../support/sample-report.ts';
import type { CheckResult, Report } from '../../../../core/report.ts';

const check = (id: string, area: CheckResult['area'], status: CheckResult['status']): CheckResult => ({
  id, area, tier: 'must', title: id, status, points: 0, maxPoints: 5, message: status, standard: '', accepted: '', durationMs: 1, evidence: [], evidenceOmitted: 0, applies: true,
});
const report = (checks: CheckResult[]): Report => ({ ...sampleReport(), phases: sampleReport().phases.map((phase) => ({ ...phase, status: 'ok' as const, code: 'OK' as const })), checks });
const mutant: Subject = { kind: 'mutant', id: 'slow-list', description: 'blocks the event loop', mustFail: ['load.p95-slo'] };

describe('judging a mutant', () => {
  it('may also fail checks of the area it names', () => {
    expect(judge(mutant, report([check('load.p95-slo', 'load', 'fail'), check('load.no-errors', 'load', 'fail'), check('rate_limit.boundary', 'rate_limit', 'pass')]))).toEqual([]);
  });

  it('never a check of another area, and must fail what it names', () => {
    expect(judge(mutant, report([check('load.p95-slo', 'load', 'fail'), check('rate_limit.boundary', 'rate_limit', 'fail')]))).toEqual([expect.stringMatching(/^rate_limit\.boundary: expected pass, got fail/)]);
    expect(judge(mutant, report([check('load.p95-slo', 'load', 'pass')]))).toEqual([expect.stringMatching(/^load\.p95-slo: expected fail, got pass/)]);
  });

  it('a variant gets no such allowance', () => {
    const variant: Subject = { kind: 'variant', id: 'express', description: 'x', mustFail: [] };
    expect(judge(variant, report([check('load.no-errors', 'load', 'fail')]))).toHaveLength(1);
  });
});
