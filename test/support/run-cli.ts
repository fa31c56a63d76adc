import { execa, type ResultPromise } from 'execa';
import { GRADER_BIN } from '../../bench/queue-cluster.ts';
import { PACKAGE_ROOT } from '../../harness/paths.ts';

export { GRADER_BIN };

/** Runs the real CLI in a child process, as a user would. */
export function runCli(args: string[], options: { cwd?: string } = {}): ResultPromise<{ reject: false; all: true }> {
  return execa('node', [GRADER_BIN, ...args], { reject: false, all: true, cwd: options.cwd ?? PACKAGE_ROOT, timeout: 240_000 });
}
