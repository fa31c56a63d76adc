import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSchema } from '../../../core/report.ts';
import { proberInputSchema } from '../../../graders/prober/protocol.ts';
import { loadAssignment } from '../../../harness/assignment/load-assignment.ts';
import { gradeSubmission } from '../../../harness/pipeline.ts';
import { FakeRuntime } from '../../../sandbox/fake/fake-runtime.ts';

/** A prober whose every check passes (the load probe is turned off below). */
function passingProber(raw: unknown): { lines: string[] } {
  const input = proberInputSchema.parse(raw);
  const lines: unknown[] = [{ type: 'ready', ready: true, elapsedMs: 5, attempts: 1, lastError: null, listening: [], evidence: [] }];
  for (const id of input.checkIds) lines.push({ type: 'check', id, status: 'pass', message: 'ok', startedAt: Date.now(), durationMs: 1, evidence: [], evidenceOmitted: 0 });
  lines.push({ type: 'done' });
  return { lines: lines.map((line) => JSON.stringify(line)) };
}

describe('install and build egress through the proxy, in the pipeline (fake runtime)', () => {
  let dir: string;
  let cacheDir: string;
  const saved = { cache: process.env.GRADER_CACHE_DIR, egress: process.env.GRADER_EGRESS };

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tg-egress-'));
    cacheDir = await mkdtemp(path.join(tmpdir(), 'tg-cache-'));
    process.env.GRADER_CACHE_DIR = cacheDir;
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', scripts: { start: 'node server.js', build: 'node build.js' } }));
    await writeFile(path.join(dir, 'package-lock.json'), '{}');
  });
  afterAll(async () => {
    for (const [name, value] of [['GRADER_CACHE_DIR', saved.cache], ['GRADER_EGRESS', saved.egress]] as const) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await rm(dir, { recursive: true, force: true });
    await rm(cacheDir, { recursive: true, force: true });
  });

  const grade = async (runtime: FakeRuntime) => {
    const assignment = await loadAssignment();
    assignment.manifest.deadlines = { ...assignment.manifest.deadlines, start: 2, total: 60 };
    assignment.manifest.load = { ...assignment.manifest.load, enabled: false };
    assignment.manifest.egress = { allow: ['npm.pkg.github.com'] };
    return reportSchema.parse(await gradeSubmission({ source: dir, ref: null, assignment }, { runtime, logger: pino({ level: 'silent' }) }));
  };

  it('lists what the proxy refused per step as serious findings, says what it watched, and leaves no network behind', async () => {
    delete process.env.GRADER_EGRESS;
    const runtime = new FakeRuntime({
      prober: (input) => passingProber(input),
      egressDenied: (spec) =>
        spec.cmd.join(' ').includes('build')
          ? [{ host: 'evil.example', port: 443, at: 2000, kind: 'connect' }]
          : [{ host: 'exfil.invalid', port: 443, at: 1000, kind: 'connect' }, { host: 'leak.example', port: 53, at: 1001, kind: 'dns' }],
    });
    const report = await grade(runtime);
    expect(report.phases.find((phase) => phase.name === 'install')?.status).toBe('ok');
    const egress = report.security.findings.filter((finding) => finding.kind === 'egress-denied');
    expect(egress).toEqual([
      expect.objectContaining({ where: 'install', severity: 'serious', count: 2, at: 1000, summary: '2 connections to hosts outside the allowlist were refused: exfil.invalid:443, leak.example (DNS lookup)' }),
      expect.objectContaining({ where: 'build', severity: 'serious', count: 1, summary: '1 connection to hosts outside the allowlist was refused: evil.example:443' }),
    ]);
    const watched = report.security.watched.find((line) => line.startsWith('egress of install and build through the allowlisting proxy'));
    expect(watched).toMatch(/registry\.npmjs\.org:443/);
    expect(watched).toMatch(/npm\.pkg\.github\.com:443/);
    expect(report.checks.find((check) => check.id === 'security.no-egress-attempts')?.status).toBe('fail');
    // One proxy for the job, and every networked step only on its internal network.
    expect(runtime.events.filter((event) => event.type === 'create' && event.role === 'egress-proxy')).toHaveLength(1);
    const networked = runtime.events.flatMap((event) => (event.type === 'create' && event.role === 'build' && event.spec?.network.mode !== 'none' ? [event.spec] : []));
    expect(networked.length).toBeGreaterThanOrEqual(2);
    for (const spec of networked) expect(spec?.network.mode).toBe('proxied');
    expect(runtime.live().filter((object) => object.role !== 'cache')).toEqual([]);
  });

  it('GRADER_EGRESS=open gives install and build the default network, as before, and claims no watching', async () => {
    process.env.GRADER_EGRESS = 'open';
    const runtime = new FakeRuntime({ prober: (input) => passingProber(input) });
    const report = await grade(runtime);
    expect(runtime.events.filter((event) => event.role === 'egress-proxy' || event.role === 'egress-network')).toEqual([]);
    const networked = runtime.events.flatMap((event) => (event.type === 'create' && event.role === 'build' && event.spec?.network.mode !== 'none' ? [event.spec] : []));
    for (const spec of networked) expect(spec?.network).toEqual({ mode: 'egress' });
    expect(report.security.watched.some((line) => line.startsWith('egress of install'))).toBe(false);
    expect(report.security.findings.filter((finding) => finding.kind === 'egress-denied')).toEqual([]);
    expect(report.checks.find((check) => check.id === 'security.no-egress-attempts')?.status).toBe('skip');
  });
});
