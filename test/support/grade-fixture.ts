import path from 'node:path';
import pino from 'pino';
import { loadAssignment } from '../../harness/assignment/load-assignment.ts';
import type { Manifest } from '../../core/manifest.ts';
import type { SubmissionOverrides } from '../../harness/grading-run.ts';
import { gradeSubmission } from '../../harness/pipeline.ts';
import { PACKAGE_ROOT } from '../../harness/paths.ts';
import type { Report } from '../../core/report.ts';
import { connectRuntime } from '../../sandbox/docker/docker-runtime.ts';
import { LABELS } from '../../sandbox/labels.ts';

export const FIXTURES = path.join(PACKAGE_ROOT, 'test/fixtures');
export const REFERENCE = path.join(PACKAGE_ROOT, 'assignments/rate-limited-items/reference');

export interface Overrides {
  deadlines?: Partial<Manifest['deadlines']>;
  limits?: Partial<Manifest['limits']>;
  load?: Partial<Manifest['load']>;
  /** Only these checks (keeps hostile-fixture tests short). */
  checks?: string[];
  /** What a grader may say instead of letting the harness work it out (image, start command, toolchain). */
  submission?: SubmissionOverrides;
}

/** Grades a directory through the real pipeline with the built-in assignment, optionally tightened. */
export async function gradeDirectory(source: string, overrides: Overrides = {}): Promise<Report> {
  const assignment = await loadAssignment();
  const { manifest } = assignment;
  manifest.deadlines = { ...manifest.deadlines, ...overrides.deadlines };
  manifest.limits = { ...manifest.limits, ...overrides.limits };
  manifest.load = { ...manifest.load, ...overrides.load };
  if (overrides.checks) manifest.checks = overrides.checks;
  return gradeSubmission({ source, ref: null, assignment, ...(overrides.submission ? { overrides: overrides.submission } : {}) }, { runtime: connectRuntime(), logger: pino({ level: 'silent' }) });
}

/**
 * Containers and volumes of a job (or of every job) still present in the engine. Cache
 * volumes are kept between gradings on purpose and are not leftovers.
 */
export async function leftovers(jobId?: string): Promise<{ containers: string[]; volumes: string[]; networks: string[] }> {
  const objects = await connectRuntime().listObjects({ [LABELS.managed]: 'true', ...(jobId ? { [LABELS.job]: jobId } : {}) });
  const left = objects.filter((object) => object.labels[LABELS.cache] === undefined);
  return {
    containers: left.filter((object) => object.kind === 'container').map((object) => object.name),
    volumes: left.filter((object) => object.kind === 'volume').map((object) => object.name),
    networks: left.filter((object) => object.kind === 'network').map((object) => object.name),
  };
}

export function phase(report: Report, name: Report['phases'][number]['name']) {
  const found = report.phases.find((p) => p.name === name);
  if (!found) throw new Error(`report has no ${name} phase`);
  return found;
}
