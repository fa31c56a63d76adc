import type { CheckStatus } from '../core/report.ts';

/** What one check status becomes in each export: defined once, so the exports cannot disagree. */
export interface StatusExport {
  /** The word the text exports use. */
  label: string;
  junit: 'passed' | 'failure' | 'error' | 'skipped';
  /** Gradescope knows passed and failed only; the output text carries the label. */
  gradescope: 'passed' | 'failed';
  /** GitHub Classroom's autograding result status. */
  classroom: 'pass' | 'fail' | 'error';
  /** What the candidate's feedback may say about an area holding such a check. */
  feedback: 'met' | 'missed' | 'unchecked';
  /** Whether its points count as earned. */
  earned: boolean;
}

/**
 * pass and skip (the check ran and held nothing against the submission: one of its accepted
 * answers) earn their points; fail is a failure everywhere; error (the harness or the
 * author broke the check) and not_run (no verdict: a deadline, a dead server, a missing
 * baseline) are never called a failure of the candidate — JUnit calls them error and
 * skipped, Classroom error, and the feedback says a reviewer will look.
 */
export const STATUS_EXPORTS: Record<CheckStatus, StatusExport> = {
  pass: { label: 'PASS', junit: 'passed', gradescope: 'passed', classroom: 'pass', feedback: 'met', earned: true },
  skip: { label: 'SKIPPED', junit: 'skipped', gradescope: 'passed', classroom: 'pass', feedback: 'met', earned: true },
  fail: { label: 'FAIL', junit: 'failure', gradescope: 'failed', classroom: 'fail', feedback: 'missed', earned: false },
  error: { label: 'ERROR', junit: 'error', gradescope: 'failed', classroom: 'error', feedback: 'unchecked', earned: false },
  not_run: { label: 'NOT RUN', junit: 'skipped', gradescope: 'failed', classroom: 'error', feedback: 'unchecked', earned: false },
};
