import path from 'node:path';
import pino from 'pino';
import { describe, expect, it } from 'vitest';
import type { Report } from '../../core/report.ts';
import { loadAssignment } from '../../harness/assignment/load-assignment.ts';
import { PACKAGE_ROOT } from '../../harness/paths.ts';
import { gradeSubmission } from '../../harness/pipeline.ts';
import { connectRuntime } from '../../sandbox/docker/docker-runtime.ts';
import { helperImageName, proberImageName, resolveProberImage } from '../../sandbox/image/helper-image.ts';
import { offlineImageName, resolveImage } from '../../sandbox/image/resolve-image.ts';
import { planPack } from '../../sandbox/copy/pack-directory.ts';
import { SandboxJob } from '../../sandbox/sandbox-job.ts';
import { FIXTURES, gradeDirectory } from '../support/grade-fixture.ts';

const VARIANTS = path.join(PACKAGE_ROOT, 'assignments/rate-limited-items/variants');
/**
 * Short load runs at 10 connections (as the validate matrix in CI runs them) keep the file
 * within a few minutes on two cores while three gradings share it; the SLO verdicts apply.
 */
const SHORT_LOAD = { durationS: 3, runs: 1, warmupS: 1, seedCount: 300, connections: 10 };

async function gradeVariant(name: string): Promise<Report> {
  const assignment = await loadAssignment();
  assignment.manifest.load = { ...assignment.manifest.load, ...SHORT_LOAD };
  return gradeSubmission({ source: path.join(VARIANTS, name), ref: null, assignment }, { runtime: connectRuntime(), logger: pino({ level: 'silent' }) });
}

function failedMustChecks(report: Report): string[] {
  const failedPhase = report.phases.find((phase) => phase.status === 'failed');
  if (failedPhase) return [`phase ${failedPhase.name} failed (${failedPhase.code}): ${failedPhase.message}`];
  return report.checks.filter((check) => check.tier === 'must' && check.status !== 'pass' && check.status !== 'skip').map((check) => `${check.id}: ${check.status} (${check.message})`);
}

/** The toolchain's image, or its offline stand-in when the real one was not there. */
function expectImage(report: Report, configured: string): void {
  const { image } = report.environment;
  if (image.substituteFor === null) expect(image.name).toBe(configured);
  else expect(image).toMatchObject({ name: offlineImageName(configured), substituteFor: configured });
}

const CASES = [
  { variant: 'python-stdlib', toolchain: 'python', image: 'python:3.12-slim', tests: { runner: 'pytest', passed: 11 } },
  { variant: 'go-nethttp', toolchain: 'go', image: 'golang:1.23-bookworm', tests: { runner: 'go test', passed: 6 } },
  { variant: 'java-jdk', toolchain: 'java', image: 'maven:3-eclipse-temurin-21', tests: { runner: 'surefire', passed: 15 } },
];

// One at a time: CI already runs three test files at once on two cores, and a Go or Java
// build beside two others can push the candidate's own tests past their deadline.
describe('each language variant of rate-limited-items, graded in its toolchain\'s image (real Docker)', () => {
  it.each(CASES)('$variant: every must-check passes, its own $tests.runner tests are counted, in $image', async ({ variant, toolchain, image, tests }) => {
    const report = await gradeVariant(variant);
    expect(failedMustChecks(report)).toEqual([]);
    expect(report.environment.toolchain?.id ?? null).toBe(toolchain);
    expectImage(report, image);
    expect(report.repo?.tests).toMatchObject({ status: 'passed', runner: tests.runner, passed: tests.passed, failed: 0 });
    // For the log: the figure the SLO check judged, per language.
    const median = report.load?.measurement.median;
    console.log(`${variant}: ${report.checks.filter((c) => c.tier === 'must' && c.status === 'pass').length} must-checks pass; own tests ${JSON.stringify(report.repo?.tests)}; load ${median ? `p95 ${median.latencyMs.p95} ms at ${Math.round(median.rps)} req/s` : 'not measured'}`);
  }, 420_000);

  it('a Gradle build is reported as an unsupported toolchain, with how to grade it anyway, and blames no one for the harness', async () => {
    const report = await gradeDirectory(path.join(FIXTURES, 'languages/gradle-app'), { checks: ['startup.health-ok'], load: { enabled: false } });
    const install = report.phases.find((phase) => phase.name === 'install');
    expect(install).toMatchObject({ status: 'failed', code: 'UNSUPPORTED_TOOLCHAIN', blame: 'candidate' });
    expect(install?.message).toMatch(/Gradle/);
    expect(install?.message).toMatch(/--image .*--start/);
    expect(report.gradable).toBe(true);
    expect(report.phases.filter((phase) => phase.code === 'HARNESS_ERROR')).toEqual([]);
  });
});

describe('a hidden suite in Python (runner: python)', () => {
  it('runs in the prober image that has python3 and pytest, never in the candidate\'s image', async () => {
    const runtime = connectRuntime();
    const node = await resolveImage(runtime, 'node:20-bookworm-slim');
    const prober = await resolveProberImage(runtime, 'python');
    expect(prober.name).toBe(proberImageName('python'));
    const job = new SandboxJob(runtime, { jobId: `lang-${Date.now().toString(36)}`, image: node.name, helperImage: helperImageName(), ttlMs: 300_000, workspaceMb: 64 });
    try {
      await job.createVolumes();
      const root = path.join(FIXTURES, 'trivial-server');
      await job.copySubmission({ root, plan: await planPack(root), caBundlePath: null });
      const candidate = await job.startCandidate({ cmd: ['sleep', '30'], env: {}, caps: { memoryMb: 64, cpus: 0.5, pids: 16, tmpfsMb: 8 } });
      // A stand-in bundle: the prober's own entry point is node; the suite's runner is what the image adds.
      const bundle = "import { execFileSync } from 'node:child_process'; console.log(execFileSync('python3', ['-m', 'pytest', '--version']).toString().trim());";
      const run = await job.runProber({ candidate, bundle, input: {}, caps: { memoryMb: 256, cpus: 0.5, pids: 32, tmpfsMb: 16 }, deadlineMs: 60_000, image: prober.name });
      expect(run.exit.exitCode, run.stderr).toBe(0);
      expect(run.stdout).toMatch(/^pytest \d+\.\d+/);
      await job.stopCandidate(candidate);
    } finally {
      await job.dispose();
    }
  }, 120_000);

  it('grades a fixture assignment whose hidden suite is pytest: each test is a check of its own', async () => {
    const assignment = await loadAssignment(path.join(FIXTURES, 'languages/pytest-suite'));
    expect(assignment.manifest.suites[0]?.runner).toBe('python');
    const report = await gradeSubmission(
      { source: path.join(PACKAGE_ROOT, 'assignments/rate-limited-items/reference'), ref: null, assignment },
      { runtime: connectRuntime(), logger: pino({ level: 'silent' }) },
    );
    const suite = report.checks.filter((check) => check.id.startsWith('items.pytest'));
    expect(suite.map((check) => [check.status, check.message]).filter(([status]) => status !== 'pass')).toEqual([]);
    expect(suite.length).toBe(3);
  }, 240_000);
});
