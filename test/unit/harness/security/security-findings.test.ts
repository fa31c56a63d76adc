import { describe, expect, it } from 'vitest';
import type { CheckResult, Phase } from '../../../../core/report.ts';
import { securityChecks } from '../../../../graders/security/security-checks.ts';
import { lifecycleFindings } from '../../../../harness/security/lifecycle-findings.ts';
import { limitFindings } from '../../../../harness/security/limit-findings.ts';
import { leakFindings, phaseFindings } from '../../../../harness/security/phase-findings.ts';
import { securitySection } from '../../../../harness/security/security-section.ts';
import { parseOomKills, parsePidsEvents } from '../../../../sandbox/docker/cgroup-counters.ts';
import type { RepoFiles } from '../../../../sandbox/toolchains/toolchain.ts';

const files = (entries: Record<string, string>): RepoFiles => ({ has: (file) => file in entries, read: async (file) => entries[file] ?? null });
const phase = (overrides: Partial<Phase>): Phase => ({ name: 'start', status: 'ok', code: 'OK', durationMs: 1, message: 'ok', flags: [], ...overrides });
const check = (overrides: Partial<CheckResult>): CheckResult => ({
  id: 'error_handling.no-leaks', area: 'error_handling', tier: 'must', title: 't', status: 'pass', points: 10, maxPoints: 10, message: 'ok',
  standard: '', accepted: '', durationMs: 1, evidence: [], evidenceOmitted: 0, applies: true, ...overrides,
});
const LIMITS = { pids: 256, memoryMb: 512 };
const clean = (extra: Partial<Parameters<typeof securitySection>[0]> = {}) =>
  securitySection({ recorded: [], watched: new Set(), limits: [], sandboxLimits: LIMITS, phases: [phase({})], checks: [check({})], ...extra });

describe('cgroup counters', () => {
  it('reads forks refused from pids.events and OOM kills from memory events (v1 and v2 wording)', () => {
    expect(parsePidsEvents('max 17\n')).toBe(17);
    expect(parsePidsEvents('')).toBeNull();
    expect(parseOomKills('oom_kill_disable 0\nunder_oom 0\noom_kill 2\n')).toBe(2);
    expect(parseOomKills('low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n')).toBe(1);
    expect(parseOomKills('oom_kill_disable 0\n')).toBeNull();
  });
});

describe('limit findings', () => {
  it('one finding per limit, listing every container that hit it', () => {
    const findings = limitFindings(
      [
        { where: 'start instance', pidsRefused: 1200, oomKills: 0 },
        { where: 'relaxed instance', pidsRefused: 1100, oomKills: 0 },
        { where: 'strict instance', pidsRefused: 0, oomKills: 1 },
      ],
      LIMITS,
    );
    expect(findings.map((finding) => [finding.kind, finding.count, finding.evidence.length])).toEqual([['pids-limit', 2300, 2], ['oom-kill', 1, 1]]);
    expect(findings[0]!.summary).toMatch(/process limit \(256\)/);
  });

  it('nothing when no counter moved or the engine gave none', () => {
    expect(limitFindings([{ where: 'x', pidsRefused: 0, oomKills: 0 }, { where: 'y', pidsRefused: null, oomKills: null }], LIMITS)).toEqual([]);
  });
});

describe('lifecycle findings', () => {
  it('lists the project\'s own install scripts and dependencies the lockfile marks', async () => {
    const found = await lifecycleFindings(files({
      'package.json': JSON.stringify({ scripts: { start: 'node s.js', postinstall: 'node tricks.js', prepare: 'husky' } }),
      'package-lock.json': JSON.stringify({ packages: { '': {}, 'node_modules/bcrypt': { hasInstallScript: true }, 'node_modules/a/node_modules/esbuild': { hasInstallScript: true }, 'node_modules/lodash': {} } }),
    }));
    expect(found.map((finding) => [finding.kind, finding.severity, finding.count])).toEqual([['lifecycle-script', 'info', 2], ['lifecycle-script', 'info', 2]]);
    expect(found[0]!.evidence).toEqual(['package.json "postinstall": node tricks.js', 'package.json "prepare": husky']);
    expect(found[1]!.evidence).toEqual(['bcrypt', 'esbuild']);
  });

  it('a setup.py is code pip runs; none of this for a plain project or broken JSON', async () => {
    const found = await lifecycleFindings(files({ 'setup.py': 'from setuptools import setup\nimport subprocess\nsetup(cmdclass={})\n' }));
    expect(found).toHaveLength(1);
    expect(found[0]!.evidence).toEqual(['import subprocess', 'setup(cmdclass={})']);
    expect(await lifecycleFindings(files({ 'package.json': '{"scripts": {"start": "node s.js"}}' }))).toEqual([]);
    expect(await lifecycleFindings(files({ 'package.json': '{not json', 'package-lock.json': '[]' }))).toEqual([]);
  });
});

describe('phase and leak findings', () => {
  it('the output cap, a full workspace and an OOM-killed phase each become a finding', () => {
    const found = phaseFindings([
      phase({ name: 'install', flags: ['OUTPUT_TRUNCATED'], log: 'x'.repeat(10) }),
      phase({ name: 'start', status: 'failed', code: 'OOM_KILLED', message: 'killed', log: 'disk-fill: /tmp stopped at 32 MiB with ENOSPC' }),
    ]);
    expect(found.map((finding) => `${finding.kind}@${finding.where}`)).toEqual(['output-cap@install', 'disk-cap@start', 'oom-kill@start']);
    expect(found[1]!.evidence).toEqual(['start: disk-fill: /tmp stopped at 32 MiB with ENOSPC']);
  });

  it('a failed no-leaks check is cross-listed with its evidence; a passing one is not', () => {
    const failing = check({ status: 'fail', message: 'a stack frame in 1 body', evidence: [{ request: { method: 'POST', path: '/items' }, response: { status: 500, headers: {}, body: 'at Object.<anonymous> (/workspace/app/server.js:3:9)', bodyBytes: 50, bodyTruncated: false } }] });
    expect(leakFindings([failing])[0]).toMatchObject({ kind: 'leaks-internals', where: 'error_handling.no-leaks', evidence: ['POST /items → 500 at Object.<anonymous> (/workspace/app/server.js:3:9)'] });
    expect(leakFindings([check({})])).toEqual([]);
  });
});

describe('the security checks', () => {
  const [egress, limits, leaks] = securityChecks({ tier: 'signal', points: 5 });

  it('a clean grading passes what was watched; egress nobody watched is out of the maximum, never a pass', () => {
    const section = clean();
    expect(egress!.evaluate(section, [])).toMatchObject({ status: 'skip', applies: false });
    expect(limits!.evaluate(section, []).status).toBe('pass');
    expect(leaks!.evaluate(section, [check({})]).status).toBe('pass');
    const watched = clean({ watched: new Set(['egress of install and build through the allowlisting proxy']) });
    expect(egress!.evaluate(watched, []).status).toBe('pass');
  });

  it('denied egress, a fork bomb and a flood fail, with the findings as evidence, most serious first', () => {
    const section = clean({
      watched: new Set(['egress of install and build through the allowlisting proxy']),
      recorded: [{ kind: 'egress-denied', severity: 'serious', where: 'install', summary: '2 refused', evidence: ['exfil.invalid:443'], count: 2 }, { kind: 'lifecycle-script', severity: 'info', where: 'install', summary: 'postinstall', evidence: [] }],
      limits: [{ where: 'start instance', pidsRefused: 900, oomKills: 0 }],
      phases: [phase({ flags: ['OUTPUT_TRUNCATED'] })],
    });
    expect(section.findings.map((finding) => finding.kind)).toEqual(['egress-denied', 'pids-limit', 'output-cap', 'lifecycle-script']);
    const egressVerdict = egress!.evaluate(section, []);
    expect(egressVerdict).toMatchObject({ status: 'fail', message: '2 refused' });
    expect(egressVerdict.evidence[0]!.note).toMatch(/exfil\.invalid:443/);
    const limitVerdict = limits!.evaluate(section, []);
    expect(limitVerdict.status).toBe('fail');
    expect(limitVerdict.message).toMatch(/900 forks.*output went past/s);
  });

  it('leaks mirror a no-leaks check that did not run, and never fail on their own', () => {
    expect(leaks!.evaluate(clean(), [check({ status: 'not_run', message: 'deadline', blame: 'candidate' })])).toMatchObject({ status: 'not_run', blame: 'candidate' });
    expect(leaks!.evaluate(clean(), [])).toMatchObject({ status: 'skip', applies: false });
  });

  it('an OOM kill the cgroup counted is not listed twice for the phase it ended', () => {
    const section = clean({ limits: [{ where: 'start instance', pidsRefused: 0, oomKills: 1 }], phases: [phase({ status: 'failed', code: 'OOM_KILLED' })] });
    expect(section.findings.filter((finding) => finding.kind === 'oom-kill')).toHaveLength(1);
  });
});

describe('findings reach the reviewer', () => {
  it('interview prompts ask about limits and egress as observations; information-only findings ask nothing', async () => {
    const { interviewPrompts } = await import('../../../../harness/repo/interview-prompts.ts');
    const section = clean({
      recorded: [{ kind: 'lifecycle-script', severity: 'info', where: 'install', summary: 'postinstall', evidence: [] }],
      limits: [{ where: 'start instance', pidsRefused: 12, oomKills: 0 }],
    });
    const prompts = interviewPrompts([], null, section).filter((prompt) => prompt.source.startsWith('finding:'));
    expect(prompts.map((prompt) => prompt.source)).toEqual(['finding:pids-limit']);
    expect(prompts[0]!.prompt).toMatch(/refused 12 forks.*how many does it need/);
  });
});
