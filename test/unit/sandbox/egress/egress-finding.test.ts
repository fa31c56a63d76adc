import { describe, expect, it } from 'vitest';
import { findingSchema } from '../../../../core/security.ts';
import { DEFAULT_EGRESS_ALLOW, egressAllowlist, egressMode, urlHosts } from '../../../../sandbox/egress/allowlist.ts';
import { egressFinding, egressWatched } from '../../../../sandbox/egress/egress-finding.ts';
import type { DeniedAttempt } from '../../../../sandbox/egress/proxy-server.ts';

const attempt = (host: string, port: number, kind: DeniedAttempt['kind'], at: number): DeniedAttempt => ({ host, port, kind, at });

describe('egress findings', () => {
  it('is none when nothing was refused', () => {
    expect(egressFinding('install', { attempts: [], dropped: 0 })).toBeNull();
  });

  it('names the refused targets once each, counts every attempt and caps the evidence', () => {
    const attempts = [attempt('evil.example', 443, 'connect', 2000), attempt('leak.example', 53, 'dns', 1000), ...Array.from({ length: 30 }, (_, index) => attempt('evil.example', 443, 'connect', 3000 + index))];
    const finding = egressFinding('build', { attempts, dropped: 5 });
    expect(findingSchema.parse(finding)).toEqual(finding);
    expect(finding).toMatchObject({ kind: 'egress-denied', severity: 'serious', where: 'build', count: 37, at: 1000 });
    expect(finding?.summary).toBe('37 connections to hosts outside the allowlist were refused: evil.example:443, leak.example (DNS lookup)');
    expect(finding?.evidence).toHaveLength(21);
    expect(finding?.evidence[0]).toBe('1970-01-01T00:00:02.000Z connect evil.example:443 refused');
    expect(finding?.evidence[20]).toBe('… 17 more');
  });

  it('says "was" for one', () => {
    expect(egressFinding('install', { attempts: [attempt('a.example', 80, 'http', 5)], dropped: 0 })?.summary).toBe('1 connection to hosts outside the allowlist was refused: a.example:80');
  });

  it('the allowlist is the defaults, the grader\'s and the assignment\'s, normalised; the mode is proxy unless turned off', () => {
    const allow = egressAllowlist(['npm.pkg.github.com', 'Mirror.Example:8443'], { GRADER_EGRESS_ALLOW: ' registry.internal:443 ,' });
    expect(allow).toEqual(expect.arrayContaining([...DEFAULT_EGRESS_ALLOW, 'npm.pkg.github.com:443', 'mirror.example:8443', 'registry.internal:443']));
    expect(allow).toHaveLength(new Set(allow).size);
    expect(() => egressAllowlist(['not a host'], {})).toThrow(/not host or host:port/);
    expect(egressMode({})).toBe('proxy');
    expect(egressMode({ GRADER_EGRESS: 'open' })).toBe('open');
    expect(() => egressMode({ GRADER_EGRESS: 'nope' })).toThrow(/GRADER_EGRESS/);
    expect(egressWatched(['a:443'])).toBe('egress of install and build through the allowlisting proxy (allowed: a:443)');
  });

  it('reads host:port from a mirror URL the grader hands the toolchain, and nothing from other values', () => {
    expect(urlHosts(['https://mirror.example:8443/npm/', 'http://plain.example/', undefined, 'sha512-key', 'ftp://x.example/'])).toEqual(['mirror.example:8443', 'plain.example:80']);
  });
});
