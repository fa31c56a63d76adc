import { hostname } from 'node:os';
import { LABELS, PID_NAMESPACE } from './labels.ts';
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
 * An object is a leftover when its harness process on this host (in this PID namespace) is
 * gone, or, for objects made by other hosts or PID namespaces sharing the engine (whose
 * processes this one cannot see), when its expiry has passed. A live process on this host keeps its objects past their expiry: a
 * grading queued behind others for the machine may outlive its label, and removing its
 * keeper under it would fail a grading that did nothing wrong.
 * Cache volumes carry neither an instance nor an expiry, so they are never leftovers.
 */
export function isLeftover(labels: Record<string, string>, now = Date.now()): boolean {
  const [host, pid, namespace] = (labels[LABELS.instance] ?? '').split(':');
  // A PID says something only in our own PID namespace: another container or CI job on this
  // host, with the same host name, is judged like another host, by the expiry alone.
  const samePids = namespace === undefined || namespace === '' || PID_NAMESPACE === '' || namespace === PID_NAMESPACE;
  if (host === hostname() && pid !== undefined && samePids) return !processAlive(Number(pid));
  const expires = Date.parse(labels[LABELS.expires] ?? '');
  return !Number.isNaN(expires) && expires < now;
}

/** Removes what crashed runs left behind; live jobs of other harness processes are kept. */
export function reapLeftovers(runtime: SandboxRuntime): Promise<Removed> {
  return removeLabelled(runtime, {}, (labels) => !isLeftover(labels));
}
