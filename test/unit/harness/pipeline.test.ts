import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportSchema } from '../../../core/report.ts';
import { proberInputSchema } from '../../../graders/prober/protocol.ts';
import { loadAssignment } from '../../../harness/assignment/load-assignment.ts';
import { gradeSubmission } from '../../../harness/pipeline.ts';
import { machineShare } from '../../../harness/phases/instance-slots.ts';
import { FakeRuntime } from '../../../sandbox/fake/fake-runtime.ts';
import { LABELS } from '../../../sandbox/labels.ts';

/** NDJSON a well-behaved prober prints for an input: ready, every check passing, load figures, done. */
function passingProber(raw: unknown): { lines: string[] } {
  const input = proberInputSchema.parse(raw);
  const lines: unknown[] = [{ type: 'ready', ready: true, elapsedMs: 5, attempts: 1, lastError: null, listening: [], evidence: [{ note: 'GET /health → 200' }] }];
  if (input.mode === 'load' && input.load) {
    const run = { durationS: input.load.durationS, requests: 1000, rps: 100, latencyMs: { p50: 1, p90: 2, p95: 3, p99: 4, max: 5 }, errors: 0, timeouts: 0 };
    lines.push({
      type: 'load',
      measurement: { settings: input.load, seeded: input.load.seedCount, runs: [{ ...run, non2xx: {} }], median: run, spread: { p95: 1, rps: 1 } },
      problem: null,
      healthAfter: { ok: true, detail: 'HTTP 200' },
      evidence: [],
    });
  } else {
    for (const id of input.checkIds) {
      lines.push({ type: 'check', id, status: 'pass', message: 'ok', startedAt: Date.now(), durationMs: 1, evidence: [{ note: `${id} evidence` }], evidenceOmitted: 0 });
    }
  }
  lines.push({ type: 'done' });
  return { lines: lines.map((line) => JSON.stringify(line)) };
}

describe('the pipeline against the fake runtime (no Docker)', () => {
  let dir: string;
  let cacheDir: string;
  const previousCache = process.env.GRADER_CACHE_DIR;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'tg-pipeline-'));
    cacheDir = await mkdtemp(path.join(tmpdir(), 'tg-cache-'));
    process.env.GRADER_CACHE_DIR = cacheDir;
    await writeFile(path.join(dir, 'package.json'), JSON.stringify({ name: 'x', scripts: { start: 'node server.js', test: 'node --test' } }));
    await writeFile(path.join(dir, 'package-lock.json'), '{}');
    await writeFile(path.join(dir, 'server.js'), '// served by the fake');
  });
  afterAll(async () => {
    if (previousCache === undefined) delete process.env.GRADER_CACHE_DIR;
    else process.env.GRADER_CACHE_DIR = previousCache;
    await rm(dir, { recursive: true, force: true });
    await rm(cacheDir, { recursive: true, force: true });
  });

  const grade = async (runtime: FakeRuntime) => {
    const assignment = await loadAssignment();
    assignment.manifest.deadlines = { ...assignment.manifest.deadlines, start: 2, total: 60 };
    return gradeSubmission({ source: dir, ref: null, assignment }, { runtime, logger: pino({ level: 'silent' }) });
  };
  // Dependency caches stay between gradings on purpose; nothing else may.
  const leftBehind = (runtime: FakeRuntime) => runtime.live().filter((object) => object.role !== 'cache');
  const role = (runtime: FakeRuntime, name: string) => runtime.events.filter((event) => event.type === 'create' && event.role === name);

  it('runs every phase in order, every check passes, and nothing is left behind', async () => {
    const runtime = new FakeRuntime({ prober: (input) => passingProber(input) });
    const report = reportSchema.parse(await grade(runtime));
    expect(report.phases.map((phase) => `${phase.name}:${phase.status}`)).toEqual([
      'prepare:ok', 'fetch:ok', 'install:ok', 'build:ok', 'repo:ok', 'start:ok', 'checks:ok', 'load:ok',
    ]);
    expect(report.checks.filter((check) => check.status !== 'pass' && check.maxPoints > 0).map((check) => `${check.id}: ${check.message}`)).toEqual([]);
    expect(report.environment.toolchain).toMatchObject({ id: 'node', because: 'found package.json' });
    expect(report.environment.start).toEqual({ command: 'npm start', from: 'the Node.js convention' });
    expect(report.gradable).toBe(true);
    expect(leftBehind(runtime)).toEqual([]);
  });

  it('never runs hidden-check code in the candidate\'s image: prober and keeper use the harness\'s own', async () => {
    const runtime = new FakeRuntime({ prober: (input) => passingProber(input) });
    await grade(runtime);
    const candidateImage = role(runtime, 'candidate')[0]?.spec?.image;
    expect(candidateImage).toBeDefined();
    for (const helper of [...role(runtime, 'prober'), ...role(runtime, 'keeper')]) {
      expect(helper.spec?.image).not.toBe(candidateImage);
      expect(helper.spec?.image).toMatch(/prober/);
    }
    // Every prober joins a candidate's namespace and nothing else.
    for (const prober of role(runtime, 'prober')) expect(prober.spec?.network.mode).toBe('join');
  });

  it('a failed install skips every later phase and every check, and blames the candidate', async () => {
    const runtime = new FakeRuntime({ build: () => ({ exitCode: 1, output: 'npm ERR! missing lockfile entry' }) });
    const report = await grade(runtime);
    const install = report.phases.find((phase) => phase.name === 'install');
    expect(install).toMatchObject({ status: 'failed', code: 'INSTALL_FAILED', blame: 'candidate' });
    expect(install?.log).toContain('missing lockfile entry');
    expect(report.phases.filter((phase) => phase.status === 'skipped').map((phase) => phase.name)).toEqual(['build', 'repo', 'start', 'checks', 'load']);
    // Checks for other API shapes (offset, page numbers) are skipped as not applicable before anything starts.
    // Security is judged from what did run (the install), after the phases.
    const planned = report.checks.filter((check) => !check.message.startsWith('not applicable:') && check.area !== 'security');
    expect(new Set(planned.map((check) => check.status))).toEqual(new Set(['not_run']));
    expect(report.checks.filter((check) => check.status === 'skip' && check.area !== 'security').every((check) => check.message.startsWith('not applicable:'))).toBe(true);
    expect(report.checks.filter((check) => check.area === 'security').map((check) => `${check.id}:${check.status}`)).toEqual([
      expect.stringMatching(/^security\.no-egress-attempts:(pass|skip)$/),
      'security.within-limits:pass',
      'security.no-internal-leaks:not_run',
    ]);
    expect(new Set(planned.map((check) => check.blame))).toEqual(new Set(['candidate']));
    expect(report.gradable).toBe(true);
    expect(leftBehind(runtime)).toEqual([]);
  });

  it('a server that exits before it is ready is CRASHED, and no prober joins its dead namespace', async () => {
    const runtime = new FakeRuntime({ candidate: () => ({ exitAfterMs: 0, exitCode: 3, output: 'Error: Cannot find module express' }), prober: (input) => passingProber(input) });
    const report = await grade(runtime);
    const start = report.phases.find((phase) => phase.name === 'start');
    expect(start).toMatchObject({ status: 'failed', code: 'CRASHED', blame: 'candidate' });
    expect(start?.message).toContain('exited with code 3');
    expect(start?.log).toContain('Cannot find module express');
    expect(report.gradable).toBe(true);
    expect(leftBehind(runtime)).toEqual([]);
  });

  it('a prober that breaks its protocol is the harness\'s fault: not gradable, no candidate blame', async () => {
    const runtime = new FakeRuntime({ prober: () => ({ lines: ['this is not json'] }) });
    const report = await grade(runtime);
    const failed = report.phases.find((phase) => phase.status === 'failed');
    expect(failed).toMatchObject({ code: 'HARNESS_ERROR', blame: 'harness' });
    expect(report.gradable).toBe(false);
  });

  it('a prober that fails once on a checks instance gets one more try on a fresh instance', async () => {
    let failures = 0;
    const runtime = new FakeRuntime({
      prober: (raw) => {
        const input = proberInputSchema.parse(raw);
        if (failures === 0 && input.mode === 'checks' && input.checkIds.length > 0) {
          failures += 1;
          return { lines: ['this is not json'] };
        }
        return passingProber(raw);
      },
    });
    const report = reportSchema.parse(await grade(runtime));
    expect(failures).toBe(1);
    expect(report.phases.find((phase) => phase.name === 'checks')?.status).toBe('ok');
    expect(report.checks.filter((check) => check.status !== 'pass' && check.applies && check.maxPoints > 0).map((check) => check.id)).toEqual([]);
  });

  it('labels every object with the job, so dispose finds them all', async () => {
    const runtime = new FakeRuntime({ prober: (input) => passingProber(input) });
    const report = await grade(runtime);
    const created = runtime.events.filter((event) => event.type === 'create' && event.role !== 'cache-setup');
    expect(created.length).toBeGreaterThan(5);
    // The cache's one-off setup container belongs to no job; it carries an expiry for the reaper instead.
    for (const event of created) expect(event.spec?.labels[LABELS.job], event.name).toBeDefined();
    expect(report.jobId).toBeTruthy();
  });

  it('does not count time queued behind another grading\'s load probe against the deadlines', async () => {
    const runtime = new FakeRuntime({ prober: (input) => passingProber(input) });
    const assignment = await loadAssignment();
    // Deadlines far shorter than the queue: 1 s of checks, 4 s for the whole grading.
    assignment.manifest.deadlines = { ...assignment.manifest.deadlines, start: 2, checks: 1, total: 4 };
    let queue: Promise<void> = Promise.resolve();
    const onPhase = (phase: string) => {
      // Another grading of this process takes the machine for its load probe as our checks begin.
      if (phase === 'checks') queue = machineShare.exclusive(() => new Promise((resolve) => setTimeout(resolve, 5_000)));
    };
    const report = reportSchema.parse(await gradeSubmission({ source: dir, ref: null, assignment }, { runtime, logger: pino({ level: 'silent' }), onPhase }));
    await queue;
    expect(report.phases.map((phase) => `${phase.name}:${phase.status}`)).toEqual([
      'prepare:ok', 'fetch:ok', 'install:ok', 'build:ok', 'repo:ok', 'start:ok', 'checks:ok', 'load:ok',
    ]);
    expect(report.checks.filter((check) => check.status === 'not_run').map((check) => `${check.id}: ${check.message}`)).toEqual([]);
    expect(report.phases.find((phase) => phase.name === 'checks')?.message).toMatch(/queued [45] s for the machine behind other gradings/);
  }, 20_000);

  it('never installs or builds beside another grading\'s load probe: the install waits for it', async () => {
    const runtime = new FakeRuntime({ prober: (input) => passingProber(input) });
    let eventsWhenProbeEnded = -1;
    // Another grading of this process measures load, holding the machine for 1.5 s.
    const probe = machineShare.exclusive(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      eventsWhenProbeEnded = runtime.events.length;
    });
    const report = reportSchema.parse(await grade(runtime));
    await probe;
    expect(report.phases.find((phase) => phase.name === 'install')?.status).toBe('ok');
    const firstBuild = runtime.events.findIndex((event) => event.type === 'create' && event.role === 'build');
    expect(firstBuild).toBeGreaterThanOrEqual(eventsWhenProbeEnded);
  }, 20_000);

  it('a candidate that runs into its process limit gets a pids-limit finding and a failing security.within-limits', async () => {
    const runtime = new FakeRuntime({ prober: (input) => passingProber(input), candidate: () => ({ pidsRefused: 640 }) });
    const report = reportSchema.parse(await grade(runtime));
    const finding = report.security.findings.find((entry) => entry.kind === 'pids-limit');
    expect(finding?.summary).toMatch(/refused \d+ forks in \d+ containers?/);
    expect(finding?.evidence.every((line) => / 640 forks refused/.test(line))).toBe(true);
    const verdict = report.checks.find((check) => check.id === 'security.within-limits');
    expect(verdict).toMatchObject({ area: 'security', tier: 'signal', status: 'fail' });
    expect(verdict?.evidence.length).toBeGreaterThan(0);
    // A must-check verdict is untouched: security is a signal by default.
    expect(report.checks.filter((check) => check.tier === 'must' && check.status === 'fail')).toEqual([]);
  });

  it('a well-behaved candidate has a clean security area that says what was watched', async () => {
    const runtime = new FakeRuntime({ prober: (input) => passingProber(input) });
    const report = reportSchema.parse(await grade(runtime));
    expect(report.security.findings.filter((finding) => finding.severity !== 'info')).toEqual([]);
    expect(report.security.watched.join('\n')).toMatch(/pids and memory events/);
    expect(report.checks.filter((check) => check.area === 'security').map((check) => `${check.id}:${check.status}`)).toEqual([
      expect.stringMatching(/^security\.no-egress-attempts:(pass|skip)$/),
      'security.within-limits:pass',
      'security.no-internal-leaks:pass',
    ]);
  });

  it('hands no variable of the grader\'s own environment to any container it starts', async () => {
    const secrets = { GITHUB_TOKEN: 'ghp_s3cr3t-token-value', DOCKER_CERT_PATH: '/home/ci/.docker-s3cr3t', NPM_TOKEN: 'npm_s3cr3t', AWS_SECRET_ACCESS_KEY: 'aws-s3cr3t' };
    const saved = Object.fromEntries(Object.keys(secrets).map((name) => [name, process.env[name]]));
    Object.assign(process.env, secrets);
    try {
      const runtime = new FakeRuntime({ prober: (input) => passingProber(input) });
      await grade(runtime);
      const specs = runtime.events.flatMap((event) => (event.type === 'create' && event.spec ? [event.spec] : []));
      expect(specs.length).toBeGreaterThan(5);
      const text = JSON.stringify(specs);
      for (const [name, value] of Object.entries(secrets)) {
        expect(text, name).not.toContain(value);
        for (const spec of specs) expect(Object.keys(spec.env ?? {}), name).not.toContain(name);
      }
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});
