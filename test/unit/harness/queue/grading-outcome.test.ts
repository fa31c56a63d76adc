import { describe, expect, it } from 'vitest';
import type { Phase } from '../../../../core/report.ts';
import { addOutcome } from '../../../../harness/queue/add-outcome.ts';
import { gradingOutcome } from '../../../../harness/queue/grading-outcome.ts';

const phase = (name: Phase['name'], status: Phase['status'], code: Phase['code'], extra: Partial<Phase> = {}): Phase => ({ name, status, code, durationMs: 1, message: `${name} ${code}`, flags: [], ...extra });

describe('gradingOutcome', () => {
  it('stores a gradable report, whatever the score', () => {
    expect(gradingOutcome({ gradable: true, phases: [phase('install', 'failed', 'INSTALL_FAILED', { blame: 'candidate' })] }, 0, 3)).toEqual({ kind: 'done' });
  });

  it('grades an ungradable report again while attempts remain, naming the harness fault', () => {
    const report = { gradable: false, phases: [phase('fetch', 'ok', 'OK'), phase('start', 'failed', 'HARNESS_ERROR', { blame: 'harness' })] };
    expect(gradingOutcome(report, 0, 3)).toEqual({ kind: 'retry', reason: 'start: HARNESS_ERROR: start HARNESS_ERROR' });
    expect(gradingOutcome(report, 1, 3).kind).toBe('retry');
    expect(gradingOutcome(report, 2, 3)).toEqual({ kind: 'done' });
  });

  it('fails a submission that could not be fetched without retrying', () => {
    const report = { gradable: false, phases: [phase('fetch', 'failed', 'CLONE_FAILED')] };
    expect(gradingOutcome(report, 0, 3)).toEqual({ kind: 'not-graded', reason: 'not graded: fetch CLONE_FAILED' });
  });
});

describe('addOutcome', () => {
  it('answers a finished job with its stored result and requeues a failed one', () => {
    expect(addOutcome(null)).toBe('queued');
    expect(addOutcome('unknown')).toBe('queued');
    expect(addOutcome('completed')).toBe('stored-result');
    expect(addOutcome('failed')).toBe('requeued');
    expect(addOutcome('active')).toBe('already-running');
    expect(addOutcome('waiting')).toBe('already-queued');
    expect(addOutcome('delayed')).toBe('already-queued');
  });
});
