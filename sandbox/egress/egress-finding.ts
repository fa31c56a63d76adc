import type { Finding } from '../../core/security.ts';
import type { DeniedAttempt } from './proxy-server.ts';

/** Evidence lines kept per finding; the count says how many there were. */
const EVIDENCE_LINES = 20;
/** Distinct targets named in the summary line. */
const SUMMARY_TARGETS = 5;

function target(attempt: DeniedAttempt): string {
  return attempt.kind === 'dns' ? `${attempt.host} (DNS lookup)` : `${attempt.host}:${attempt.port}`;
}

/** What the egress proxy refused during one step, as one finding; null when it refused nothing. */
export function egressFinding(where: 'install' | 'build', denied: { attempts: readonly DeniedAttempt[]; dropped: number }): Finding | null {
  const { attempts, dropped } = denied;
  if (attempts.length === 0) return null;
  const count = attempts.length + dropped;
  const targets = [...new Set(attempts.map(target))];
  const named = targets.slice(0, SUMMARY_TARGETS).join(', ') + (targets.length > SUMMARY_TARGETS ? `, and ${targets.length - SUMMARY_TARGETS} more` : '');
  const evidence = attempts.slice(0, EVIDENCE_LINES).map((attempt) => `${new Date(attempt.at).toISOString()} ${attempt.kind} ${target(attempt)} refused`);
  if (count > evidence.length) evidence.push(`… ${count - evidence.length} more`);
  return {
    kind: 'egress-denied',
    severity: 'serious',
    where,
    summary: `${count} ${count === 1 ? 'connection' : 'connections'} to hosts outside the allowlist ${count === 1 ? 'was' : 'were'} refused: ${named}`,
    evidence,
    count,
    at: Math.min(...attempts.map((attempt) => attempt.at)),
  };
}

/** The line the report's "watched" list carries while the proxy guards install and build. */
export function egressWatched(allow: readonly string[]): string {
  return `egress of install and build through the allowlisting proxy (allowed: ${allow.join(', ')})`;
}
