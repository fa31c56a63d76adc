import { hostname } from 'node:os';

/** Every object the harness creates carries these, so a reaper can find leftovers. */
export const LABEL_PREFIX = 'io.takehome-grader';
export const LABELS = {
  managed: `${LABEL_PREFIX}.managed`,
  job: `${LABEL_PREFIX}.job`,
  instance: `${LABEL_PREFIX}.instance`,
  role: `${LABEL_PREFIX}.role`,
  expires: `${LABEL_PREFIX}.expires`,
} as const;

export type Role = 'build' | 'candidate' | 'prober' | 'keeper' | 'workspace' | 'prober-code';

/** Identifies this harness process, so a reaper can tell its own live objects from a crashed run's. */
export const HARNESS_INSTANCE = `${hostname()}:${process.pid}`;

export function jobLabels(jobId: string, role: Role, ttlMs: number): Record<string, string> {
  return {
    [LABELS.managed]: 'true',
    [LABELS.job]: jobId,
    [LABELS.instance]: HARNESS_INSTANCE,
    [LABELS.role]: role,
    [LABELS.expires]: new Date(Date.now() + ttlMs).toISOString(),
  };
}
