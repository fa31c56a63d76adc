import type { CommandStep, ToolchainPlan } from '../../sandbox/toolchains/toolchain.ts';

export interface StartChoice {
  step: CommandStep;
  /** Where the command came from, as the report states it. */
  from: string;
}

/** The `web:` process of a Procfile, as Foreman and Heroku read it; null when there is none. */
export function procfileWeb(text: string | null): string | null {
  if (text === null) return null;
  for (const line of text.split(/\r?\n/)) {
    const match = /^web\s*:\s*(.+?)\s*$/.exec(line);
    if (match?.[1]) return match[1];
  }
  return null;
}

const shell = (command: string): CommandStep => ({ cmd: ['sh', '-c', command], display: command });

/**
 * How the server is started, first answer wins: the grader's command, the assignment's,
 * the repository's Procfile (run under sh -c, as Foreman and Heroku run it), the
 * toolchain's convention. Null when none applies.
 */
export function resolveStart(options: {
  override: string | null;
  manifest: string | null;
  procfile: string | null;
  convention: CommandStep | null;
  toolchainTitle: string;
}): StartChoice | null {
  if (options.override) return { step: shell(options.override), from: 'given by the grader (--start)' };
  if (options.manifest) return { step: shell(options.manifest), from: "the assignment's submission.start" };
  const web = procfileWeb(options.procfile);
  if (web) return { step: shell(web), from: 'the Procfile (web:)' };
  if (options.convention) return { step: options.convention, from: `the ${options.toolchainTitle} convention` };
  return null;
}

/** The build step: the grader's command, the assignment's, else the toolchain's (which may be none). */
export function resolveBuild(options: { override: string | null; manifest: string | null; plan: ToolchainPlan }): CommandStep | null {
  if (options.override) return shell(options.override);
  if (options.manifest) return shell(options.manifest);
  return options.plan.build;
}

/** One line for NO_START_COMMAND: what was looked for, what the repository offers, and what the grader can do. */
export function noStartMessage(toolchainTitle: string, plan: ToolchainPlan): string {
  const lookedFor = ['a --start command', "the assignment's submission.start", 'a Procfile web: line', ...(plan.startLookedFor ? [plan.startLookedFor] : [`the ${toolchainTitle} convention`])];
  const offers = plan.startHints?.length ? `; the repository offers ${plan.startHints.join('; ')}` : '';
  return `no start command: looked for ${lookedFor.join(', ')}${offers}. Grade it with --start "<command>"`;
}
