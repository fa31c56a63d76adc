import { execa } from 'execa';
import { PACKAGE_ROOT } from '../../harness/paths.ts';
import { GRADER_BIN } from './run-cli.ts';

/** `grader assignment validate` as a user runs it; CI's log carries the matrix it prints. */
export async function validateCli(assignment: string, settings: string[], extra: string[] = []): Promise<{ exitCode: number | undefined; stdout: string }> {
  const result = await execa('node', [GRADER_BIN, 'assignment', 'validate', assignment, '--concurrency', '3', ...settings.flatMap((setting) => ['--set', setting]), ...extra], {
    reject: false,
    cwd: PACKAGE_ROOT,
    timeout: 1_700_000,
    env: { GRADER_LOG_LEVEL: 'error' },
  });
  console.log(`$ grader assignment validate ${assignment}\n${result.stdout}\n${result.stderr.split('\n').filter((line) => !line.startsWith('{')).join('\n')}`);
  return { exitCode: result.exitCode, stdout: result.stdout };
}

/** How many rows of a kind (mutant, variant, starter) the printed matrix has. */
export const rowCount = (stdout: string, kind: string): number => stdout.split('\n').filter((line) => line.startsWith(`${kind} `)).length;
