import { describe, expect, it } from 'vitest';
import { assertStepSucceeded } from '../../../harness/phases/step-outcome.ts';
import type { StepRun } from '../../../sandbox/sandbox-job.ts';

const step = (exitCode: number | null, denied: Array<{ host: string; port: number }>, timedOut = false): StepRun => ({
  exit: { exitCode, timedOut, oomKilled: false, durationMs: 1, limits: null },
  log: 'npm ERR! network',
  logTruncated: false,
  egressDenied: { attempts: denied.map((entry) => ({ ...entry, at: 0, kind: 'connect' as const })), dropped: 0 },
});

describe('a failed build step and the egress allowlist', () => {
  it('a step that failed after the proxy refused a host is not scored as the candidate\'s failure', () => {
    expect(() => assertStepSucceeded(step(1, [{ host: 'github.com', port: 443 }, { host: 'github.com', port: 443 }]), 'INSTALL_FAILED', 'npm ci', 300)).toThrow(
      expect.objectContaining({ blame: 'harness', code: 'INSTALL_FAILED', message: expect.stringMatching(/^npm ci exited with code 1 after the egress proxy refused github\.com:443: .*egress\.allow/) }),
    );
  });

  it('without refusals a failure stays the candidate\'s; a refusal with a clean exit is only a finding', () => {
    expect(() => assertStepSucceeded(step(1, []), 'INSTALL_FAILED', 'npm ci', 300)).toThrow(expect.objectContaining({ blame: 'candidate' }));
    expect(() => assertStepSucceeded(step(0, [{ host: 'exfil.invalid', port: 443 }]), 'INSTALL_FAILED', 'npm ci', 300)).not.toThrow();
  });
});
