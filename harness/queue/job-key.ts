import { createHash } from 'node:crypto';
import { redactCredentials } from '../../core/redact.ts';
import type { SubmissionOverrides } from '../plan/submission-overrides.ts';

export interface JobIdentity {
  assignmentId: string;
  assignmentVersion: string;
  source: string;
  /** The commit graded (a git source), or a fingerprint of a plain folder's files. */
  commit: string;
  overrides: SubmissionOverrides;
}

/**
 * The job id: the same assignment version, source and commit (and the same settings that
 * change what runs) give the same id, so adding it again finds the stored result instead
 * of grading twice. Credentials in a URL are not part of it: a new token is the same repo.
 */
export function jobKey(identity: JobIdentity): string {
  const overrides = Object.fromEntries(Object.entries(identity.overrides).filter(([, value]) => value !== undefined).sort(([a], [b]) => a.localeCompare(b)));
  const canonical = JSON.stringify([identity.assignmentId, identity.assignmentVersion, redactCredentials(identity.source).replace('://***@', '://').replace(/\/+$/, ''), identity.commit, overrides]);
  return `g-${createHash('sha256').update(canonical).digest('hex').slice(0, 32)}`;
}
