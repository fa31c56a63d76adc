import { readlinkSync } from 'node:fs';
import { hostname } from 'node:os';

/** Every object the harness creates carries these, so a reaper can find leftovers. */
export const LABEL_PREFIX = 'io.takehome-grader';
export const LABELS = {
  managed: `${LABEL_PREFIX}.managed`,
  job: `${LABEL_PREFIX}.job`,
  instance: `${LABEL_PREFIX}.instance`,
  role: `${LABEL_PREFIX}.role`,
  expires: `${LABEL_PREFIX}.expires`,
  /** On dependency cache volumes: the cache's id. Such volumes carry no job, instance or expiry, so they are kept. */
  cache: `${LABEL_PREFIX}.cache`,
  /** On images the harness built itself (offline stand-ins, the helper image). */
  image: `${LABEL_PREFIX}.managed.image`,
  /** The host Node version baked into an image the harness built (rebuilt when it changes). */
  nodeVersion: `${LABEL_PREFIX}.node-version`,
} as const;

export type Role = 'build' | 'candidate' | 'prober' | 'keeper' | 'workspace' | 'prober-code' | 'cache-setup' | 'instance-workspace' | 'copy' | 'egress-proxy' | 'egress-network';

/**
 * This process's PID namespace (its inode), or '' where /proc cannot say. Two containers
 * (or CI jobs) can share a host name and an engine but not PIDs: a PID is only meaningful
 * inside its namespace.
 */
export const PID_NAMESPACE = (() => {
  try {
    return readlinkSync('/proc/self/ns/pid').replace(/\D/g, '');
  } catch {
    return '';
  }
})();

/** Identifies this harness process, so a reaper can tell its own live objects from a crashed run's. */
export const HARNESS_INSTANCE = `${hostname()}:${process.pid}:${PID_NAMESPACE}`;

export function jobLabels(jobId: string, role: Role, ttlMs: number): Record<string, string> {
  return { ...harnessLabels(role, ttlMs), [LABELS.job]: jobId };
}

/** For short-lived objects that belong to no job (a cache's setup container): reaped like a job's if orphaned. */
export function harnessLabels(role: Role, ttlMs: number): Record<string, string> {
  return {
    [LABELS.managed]: 'true',
    [LABELS.instance]: HARNESS_INSTANCE,
    [LABELS.role]: role,
    [LABELS.expires]: new Date(Date.now() + ttlMs).toISOString(),
  };
}
