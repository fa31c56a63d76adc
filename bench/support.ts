import pino from 'pino';
import { loadAssignment } from '../harness/assignment/load-assignment.ts';
import { gradeSubmission } from '../harness/pipeline.ts';
import { PACKAGE_ROOT } from '../harness/paths.ts';
import type { Report } from '../core/report.ts';
import { connectRuntime } from '../sandbox/docker/docker-runtime.ts';

export const REFERENCE = `${PACKAGE_ROOT}/assignments/rate-limited-items/reference`;

/** One `name: value` line per figure, so a script can read them. */
export function figure(name: string, value: number | string): void {
  process.stdout.write(`${name}: ${typeof value === 'number' ? Number(value.toFixed(3)) : value}\n`);
}

export async function gradeReference(): Promise<Report> {
  const assignment = await loadAssignment();
  return gradeSubmission({ source: REFERENCE, ref: null, assignment }, { runtime: connectRuntime(), logger: pino({ level: 'silent' }) });
}
