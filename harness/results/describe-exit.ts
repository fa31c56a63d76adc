import type { Manifest } from '../../core/manifest.ts';

/** ENOSPC and its wordings across runtimes: a write stopped at a cap. */
export const DISK_FULL = /ENOSPC|No space left on device|Disk quota exceeded/;

/**
 * The server's exit in a reviewer's words. A server that filled its writable space is
 * said to have done that, with the caps it hit, not merely to have crashed.
 */
export function describeExit(crash: { exitCode: number | null; oomKilled: boolean }, log: string, manifest: Manifest): string {
  if (crash.oomKilled) return `was killed for exceeding its memory limit (${manifest.limits.memoryMb} MiB)`;
  const code = `exited with code ${crash.exitCode ?? '?'}`;
  if (DISK_FULL.test(log)) {
    return `${code} after running out of space (ENOSPC): it wrote more than its ${manifest.limits.workspaceMb} MB workspace or ${manifest.limits.tmpfsMb} MB /tmp allow`;
  }
  return code;
}

export function wroteTooMuch(log: string): boolean {
  return DISK_FULL.test(log);
}
