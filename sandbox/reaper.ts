import { hostname } from 'node:os';
import { LABELS } from './labels.ts';
import { removeLabelled, type Removed } from './remove-labelled.ts';
import type { SandboxRuntime } from './runtime/sandbox-runtime.ts';

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * An object is a leftover when its harness process on this host is gone, or, for objects
 * made by other hosts sharing the engine (whose processes this host cannot see), when its
 * expiry has passed. A live process on this host keeps its objects past their expiry: a
 * grading queued behind others for the machine may outlive its label, and removing its
 * keeper under it would fail a grading that did nothing wrong.
 * Cache volumes carry neither an instance nor an expiry, so they are never leftovers.
 */
export function isLeftover(labels: Record<string, string>, now = Date.now()): boolean {
  const [host, pid] = (labels[LABELS.instance] ?? '').split(':');
  if (host === hostname() && pid !== undefined) return !processAlive(Number(pid));
  const expires = Date.parse(labels[LABELS.expires] ?? '');
  return !Number.isNaN(expires) && expires < now;
}

/** Removes what crashed runs left behind; live jobs of other harness processes are kept. */
export function reapLeftovers(runtime: SandboxRuntime): Promise<Removed> {
  return removeLabelled(runtime, {}, (labels) => !isLeftover(labels));
}
