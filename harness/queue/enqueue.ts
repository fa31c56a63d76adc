import path from 'node:path';
import type { Queue } from 'bullmq';
import { BUILTIN_ASSIGNMENTS_DIR } from '../paths.ts';
import type { Assignment } from '../assignment/load-assignment.ts';
import type { SubmissionOverrides } from '../plan/submission-overrides.ts';
import { addOutcome, type AddOutcome, type StoredState } from './add-outcome.ts';
import { jobKey } from './job-key.ts';
import { jobPayloadSchema, jobResultSchema, type JobPayload, type JobResult } from './job-payload.ts';
import { sourceCommit } from './source-commit.ts';

export interface Submission {
  candidate: string;
  source: string;
  ref: string | null;
  deadline: string | null;
  overrides: SubmissionOverrides;
}

export interface Enqueued {
  candidate: string;
  key: string;
  outcome: AddOutcome;
  /** The stored result when the same grading was done before. */
  result: JobResult | null;
}

/** What a worker loads: a built-in id works on any machine; a local assignment by its manifest's absolute path. */
export function assignmentSpec(assignment: Assignment): string {
  const builtin = path.relative(BUILTIN_ASSIGNMENTS_DIR, assignment.dir);
  return !builtin.startsWith('..') && !path.isAbsolute(builtin) && builtin === assignment.manifest.id ? assignment.manifest.id : path.resolve(assignment.manifestPath);
}

/** Queues each submission once per (assignment version, source, commit); a repeat answers with what is stored. */
export async function enqueue(queue: Queue, assignment: Assignment, submissions: readonly Submission[]): Promise<Enqueued[]> {
  const spec = assignmentSpec(assignment);
  const out: Enqueued[] = [];
  for (const submission of submissions) {
    const commit = await sourceCommit(submission.source, submission.ref);
    const { id, version } = assignment.manifest;
    const key = jobKey({ assignmentId: id, assignmentVersion: version, source: submission.source, commit, overrides: submission.overrides });
    const existing = await queue.getJob(key);
    const state = existing ? ((await existing.getState()) as StoredState) : null;
    const outcome = addOutcome(state);
    let result: JobResult | null = null;
    if (outcome === 'queued') {
      const payload: JobPayload = jobPayloadSchema.parse({ key, ...submission, commit, assignment: { spec, id, version }, failedOn: [], enqueuedAt: Date.now() });
      // The id makes the add itself idempotent: a second `queue add` racing this one adds nothing.
      await queue.add(submission.candidate, payload, { jobId: key });
    } else if (outcome === 'requeued' && existing) {
      await existing.retry('failed');
    } else if (outcome === 'stored-result' && existing) {
      const parsed = jobResultSchema.safeParse(existing.returnvalue);
      result = parsed.success ? parsed.data : null;
    }
    out.push({ candidate: existing?.name ?? submission.candidate, key, outcome, result });
  }
  return out;
}
