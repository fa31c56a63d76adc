import type { CommandStep } from '../../sandbox/toolchains/toolchain.ts';

export interface StartChoice {
  step: CommandStep;
  /** Where the command came from, as the report states it. */
  from: string;
}

/** How the server is started: the grader's command, else the toolchain's convention; null when neither applies. */
export function resolveStart(options: { override: string | null; convention: CommandStep | null; toolchainTitle: string }): StartChoice | null {
  if (options.override) return { step: { cmd: ['sh', '-c', options.override], display: options.override }, from: 'given by the grader' };
  if (options.convention) return { step: options.convention, from: `the ${options.toolchainTitle} convention` };
  return null;
}
