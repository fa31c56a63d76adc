/** BullMQ's job states, as Job.getState() names them. */
export type StoredState = 'completed' | 'failed' | 'active' | 'waiting' | 'delayed' | 'prioritized' | 'waiting-children' | 'unknown';

export type AddOutcome = 'queued' | 'already-queued' | 'already-running' | 'stored-result' | 'requeued';

/**
 * `queue add` of a job whose id (assignment, source, commit) may already be stored: a
 * finished one answers with its stored result and is never graded twice; a failed one is
 * queued again (the reason it failed may be gone: an engine back, a repository made
 * public); one waiting or running is left as it is.
 */
export function addOutcome(existing: StoredState | null): AddOutcome {
  switch (existing) {
    case null:
    case 'unknown':
      return 'queued';
    case 'completed':
      return 'stored-result';
    case 'failed':
      return 'requeued';
    case 'active':
      return 'already-running';
    default:
      return 'already-queued';
  }
}
