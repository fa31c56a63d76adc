import { cp, mkdtemp, stat, statfs, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { nodeToolchain } from '../../sandbox/toolchains/node/node-toolchain.ts';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../core/report.ts';
import { FIXTURES, REFERENCE, gradeDirectory, leftovers, phase, type Overrides } from '../support/grade-fixture.ts';

const HOSTILE = path.join(FIXTURES, 'hostile');
const FEW_CHECKS = ['startup.health-ok', 'error_handling.unknown-route-404', 'error_handling.unknown-id-404', 'error_handling.malformed-json-400'];
// Start deadlines leave room for a machine shared with other gradings (CI runs three test files at once).
const TIGHT: Overrides = { deadlines: { start: 20, checks: 40, total: 150 }, checks: FEW_CHECKS };

/**
 * Grades a hostile fixture and asserts what every attack must leave true: the harness
 * finished within the deadline, produced a report, and left nothing in the engine.
 */
async function gradeHostile(name: string, overrides: Overrides = TIGHT): Promise<{ report: Report; seconds: number }> {
  const started = performance.now();
  const report = await gradeDirectory(path.join(HOSTILE, name), overrides);
  const seconds = (performance.now() - started) / 1000;
  expect(seconds).toBeLessThan((overrides.deadlines?.total ?? 900) + 20);
  expect(await leftovers(report.jobId)).toEqual({ containers: [], volumes: [], networks: [] });
  // Visible in CI's log: the attack, the status the report showed, and how long it took.
  const failed = report.phases.find((p) => p.status === 'failed');
  const findings = report.security.findings.map((finding) => `${finding.kind}@${finding.where}${finding.count !== undefined ? `×${finding.count}` : ''}`);
  console.log(`hostile ${name}: ${failed ? `${failed.name} ${failed.code}` : 'all phases ok'}; flags ${report.phases.flatMap((p) => p.flags).join(',') || 'none'}; findings ${findings.join(', ') || 'none'}; ${seconds.toFixed(1)} s`);
  return { report, seconds };
}

describe('hostile submissions (real Docker, bounded fixtures)', () => {
  it('fork bomb: the pids limit stops it; the server still starts', async () => {
    // Spawning thousands of processes takes a while on a busy machine: the point is the pids limit, not start speed.
    const { report } = await gradeHostile('fork-bomb', { ...TIGHT, deadlines: { start: 30, checks: 40, total: 150 } });
    const start = phase(report, 'start');
    expect(start.status).toBe('ok');
    expect(start.log).toMatch(/fork-bomb: spawned \d+, refused with (EAGAIN|ENOMEM)/);
    const spawned = Number(/spawned (\d+)/.exec(start.log ?? '')?.[1]);
    expect(spawned).toBeLessThan(report.environment.limits.pids);
    // The kernel's own count, read from the host, not the fixture's log line.
    const finding = report.security.findings.find((entry) => entry.kind === 'pids-limit');
    expect(finding, JSON.stringify(report.security)).toBeDefined();
    expect(finding?.count).toBeGreaterThan(0);
    expect(finding?.evidence.join('\n')).toMatch(/forks refused \(cgroup pids\.events "max"\)/);
  });

  it('memory bomb: the memory limit kills it and the report says OOM_KILLED', async () => {
    const { report } = await gradeHostile('memory-bomb');
    const start = phase(report, 'start');
    expect(start.code).toBe('OOM_KILLED');
    expect(start.blame).toBe('candidate');
    expect(start.log).toMatch(/memory-bomb: holding \d+ MiB/);
    expect(report.security.findings.filter((entry) => entry.kind === 'oom-kill')).toHaveLength(1);
    expect(start.log).not.toMatch(/the limit never came/);
    expect(report.gradable).toBe(true);
  });

  it('disk fill: the workspace and /tmp stop at their caps; the host disk is untouched', async () => {
    const before = await statfs(tmpdir());
    const { report } = await gradeHostile('disk-fill', { ...TIGHT, limits: { workspaceMb: 128, tmpfsMb: 32 } });
    const after = await statfs(tmpdir());
    const usedMb = ((before.bavail - after.bavail) * before.bsize) / 1024 / 1024;
    expect(usedMb).toBeLessThan(100);
    expect(phase(report, 'install').log).toMatch(/workspace stopped at \d+ MiB with ENOSPC/);
    const start = phase(report, 'start');
    expect(start.log).toMatch(/\/tmp stopped at 3\d MiB with ENOSPC/);
    // The instance's app folder is writable (its own copy of the workspace) and stops at the workspace cap.
    const appMb = Number(/app dir stopped at (\d+) MiB with ENOSPC/.exec(start.log ?? '')?.[1]);
    expect(appMb).toBeLessThanOrEqual(128);
    const finding = report.security.findings.find((entry) => entry.kind === 'disk-cap');
    expect(finding?.summary).toMatch(/install, start/);
    expect(finding?.evidence.join('\n')).toMatch(/ENOSPC/);
  });

  it('60 MB to stdout: the log keeps head and tail, flagged OUTPUT_TRUNCATED, colours stripped', async () => {
    // Writing 60 MB before listening takes a while when other gradings share the machine: the point is the output cap.
    const { report } = await gradeHostile('stdout-flood', { ...TIGHT, deadlines: { start: 40, checks: 40, total: 150 } });
    const start = phase(report, 'start');
    expect(start.status).toBe('ok');
    expect(start.flags).toContain('OUTPUT_TRUNCATED');
    expect(start.log).toContain('stdout-flood: FIRST LINE');
    expect(start.log).toMatch(/bytes omitted/);
    expect(start.log).not.toContain('\u001b');
    expect((start.log ?? '').length).toBeLessThan(40_000);
    expect(report.security.findings.find((entry) => entry.kind === 'output-cap')).toMatchObject({ where: 'start', severity: 'warning' });
  });

  it('CPU spin in the handler: checks fail on timeouts, the harness keeps its deadline', async () => {
    const { report, seconds } = await gradeHostile('cpu-spin', { deadlines: { start: 8, checks: 25, total: 90 }, checks: FEW_CHECKS });
    const failing = report.checks.filter((check) => check.status === 'fail');
    expect(failing.length).toBeGreaterThan(0);
    expect(failing.map((check) => check.message).join(' ')).toMatch(/timeout|did not finish|TIMEOUT/);
    expect(seconds).toBeLessThan(90);
  });

  it('listening on one wrong port: the port check fails naming it, and the rest is graded there', async () => {
    const { report } = await gradeHostile('wrong-port');
    const start = phase(report, 'start');
    expect(start.status).toBe('ok');
    expect(start.message).toMatch(/on port 8080, not \$PORT 3000/);
    expect(report.environment.port).toEqual({ expected: 3000, actual: 8080 });
    const port = report.checks.find((check) => check.id === 'startup.listens-on-port');
    expect(port).toMatchObject({ status: 'fail', message: expect.stringMatching(/listens on port 8080, not on \$PORT \(3000\)/) });
    expect(report.checks.find((check) => check.id === 'startup.health-ok')?.status).toBe('pass');
  });

  it('walking / for the hidden checks finds nothing, and no Docker socket', async () => {
    const { report } = await gradeHostile('fs-snoop');
    const start = phase(report, 'start');
    expect(start.code).toBe('CRASHED');
    expect(start.message).toMatch(/exited with code 3/);
    expect(start.log).toMatch(/fs-snoop: visited \d+ entries; suspicious: none/);
    expect(start.log).toMatch(/\/var\/run\/docker\.sock ENOENT/);
    // It tried /prober/input.json and /prober/prober.mjs by name and found neither.
    expect(start.log).toMatch(/\/prober\/prober\.mjs ENOENT/);
    expect(start.log).not.toMatch(/READ /);
    // No secrets in the environment: only what the harness set, and what the image sets.
    const names = (/environment names: (.*)/.exec(start.log ?? '')?.[1] ?? '').split(' ');
    const allowed = ['HOSTNAME', 'NODE_ENV', 'NODE_VERSION', 'PATH', 'PORT', 'RATE_LIMIT_MAX', 'RATE_LIMIT_WINDOW_MS', ...Object.keys(nodeToolchain.runEnv)];
    expect(names.filter((name) => !allowed.includes(name))).toEqual([]);
  });

  it('outbound DNS, HTTPS and the Docker host are unreachable at run time', async () => {
    const { report } = await gradeHostile('network-egress');
    const start = phase(report, 'start');
    expect(start.status).toBe('ok');
    expect(start.log).toMatch(/dns registry\.npmjs\.org: blocked/);
    expect(start.log).toMatch(/https registry\.npmjs\.org: blocked/);
    expect(start.log).toMatch(/tcp 172\.17\.0\.1:2375: blocked/);
    expect(start.log).not.toMatch(/CONNECTED|RESOLVED/);
  });

  it('a postinstall cannot write outside the workspace, reach the engine or gain root', async () => {
    const { report } = await gradeHostile('postinstall-tricks');
    const install = phase(report, 'install');
    expect(install.status).toBe('ok');
    for (const attempt of ['write /etc/passwd', 'read docker.sock', 'write /tg-escape-marker', 'mount']) {
      expect(install.log).toMatch(new RegExp(`tricks: ${attempt.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}: denied`));
    }
    expect(install.log).toMatch(/tricks: whoami: ALLOWED 1000/);
    expect(report.security.findings.find((entry) => entry.kind === 'lifecycle-script')?.evidence.join('\n')).toMatch(/"postinstall": /);
    await expect(stat('/tg-escape-marker')).rejects.toThrow();
  });

  it('symlinks to /etc/passwd and to .. are left behind and listed', async () => {
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'tg-links-')), 'submission');
    await cp(REFERENCE, dir, { recursive: true });
    await symlink('/etc/passwd', path.join(dir, 'passwd'));
    await symlink('..', path.join(dir, 'up'));
    const report = await gradeDirectory(dir, TIGHT);
    expect(report.submission.dropped.sort()).toEqual(['passwd: symlink', 'up: symlink']);
    expect(report.checks.filter((check) => check.status !== 'pass')).toEqual([]);
    expect(await leftovers(report.jobId)).toEqual({ containers: [], volumes: [], networks: [] });
  });

  it('a git repo with a hook and a submodule: neither runs nor is fetched', async () => {
    const root = await mkdtemp(path.join(tmpdir(), 'tg-gitattack-'));
    const git = (cwd: string, ...args: string[]) =>
      execa('git', ['-c', 'user.email=t@example.com', '-c', 'user.name=t', '-c', 'protocol.file.allow=always', ...args], { cwd });
    const inner = path.join(root, 'inner');
    await cp(path.join(HOSTILE, 'postinstall-tricks'), inner, { recursive: true });
    await git(inner, 'init', '-q', '-b', 'main');
    await git(inner, 'add', '.');
    await git(inner, 'commit', '-qm', 'inner');
    const outer = path.join(root, 'outer');
    await cp(REFERENCE, outer, { recursive: true });
    await git(outer, 'init', '-q', '-b', 'main');
    await git(outer, 'submodule', 'add', '-q', `file://${inner}`, 'vendor/inner');
    const marker = path.join(root, 'hook-ran');
    await writeFile(path.join(outer, '.git/hooks/post-checkout'), `#!/bin/sh\ntouch ${marker}\n`, { mode: 0o755 });
    await git(outer, 'add', '.');
    await git(outer, 'commit', '-qm', 'outer');
    const assignment = TIGHT;
    const report = await gradeDirectory(`file://${outer}`, assignment);
    expect(phase(report, 'fetch').status).toBe('ok');
    expect(report.submission.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(phase(report, 'install').log ?? '').not.toMatch(/tricks:/);
    await expect(stat(marker)).rejects.toThrow();
    expect(await leftovers(report.jobId)).toEqual({ containers: [], volumes: [], networks: [] });
  });

  it('a crash during the third check: that check says CRASHED with the exit code, later ones did not run', async () => {
    const { report } = await gradeHostile('crash-third-check');
    const byId = Object.fromEntries(report.checks.map((check) => [check.id, check]));
    expect(byId['startup.health-ok']?.status).toBe('pass');
    expect(byId['error_handling.unknown-id-404']).toMatchObject({ status: 'fail', message: expect.stringMatching(/CRASHED: the server exited with code 3 during this check/) });
    expect(byId['error_handling.malformed-json-400']).toMatchObject({ status: 'not_run', blame: 'candidate' });
    const checks = phase(report, 'checks');
    expect(checks.code).toBe('CRASHED');
    expect(checks.log).toMatch(/crash-third-check: giving up on \/items\//);
  });

  it('very slow answers fail their checks by timeout; the harness is not held up', async () => {
    const { report, seconds } = await gradeHostile('slow-responses', { deadlines: { start: 8, checks: 40, total: 90 }, checks: ['startup.health-ok', 'error_handling.unknown-route-404'] });
    expect(report.checks.find((check) => check.id === 'error_handling.unknown-route-404')?.message).toMatch(/timeout: no complete response within 5000 ms/);
    expect(seconds).toBeLessThan(60);
  });

  it('a 100 MB body is cut at 1 MiB; the harness\'s memory stays bounded', async () => {
    const rssBefore = process.memoryUsage().rss;
    const { report } = await gradeHostile('huge-body', { ...TIGHT, checks: ['startup.health-ok', 'pagination.empty-collection'] });
    const rssGrowthMb = (process.memoryUsage().rss - rssBefore) / 1024 / 1024;
    expect(rssGrowthMb).toBeLessThan(150);
    const check = report.checks.find((c) => c.id === 'pagination.empty-collection');
    expect(check?.status).toBe('fail');
    expect(check?.evidence[0]?.response?.bodyTruncated).toBe(true);
    expect(check?.evidence[0]?.response?.body.length).toBeLessThan(4_000);
  });

  it('forged prober output on the candidate\'s stdout changes no verdict', async () => {
    const { report } = await gradeHostile('forged-result');
    const byId = Object.fromEntries(report.checks.map((check) => [check.id, check.status]));
    expect(byId['error_handling.unknown-route-404']).toBe('fail');
    expect(byId['error_handling.malformed-json-400']).toBe('fail');
    expect(report.score.points).toBeLessThan(report.score.max);
    expect(phase(report, 'start').log).toMatch(/"status":"pass","message":"forged"/);
  });
});
