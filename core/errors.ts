import type { z } from 'zod';

/** Bad input from the user (path, URL, ref, manifest, flags): exit 2, one line. */
export class UsageError extends Error {
  override name = 'UsageError';
}

/** The harness or the engine failed, not the candidate: exit 1, report marked ungradable. */
export class HarnessError extends Error {
  override name = 'HarnessError';
}

export function formatZodIssues(error: z.ZodError, where: string): string {
  const parts = error.issues.slice(0, 5).map((issue) => {
    const path = issue.path.length > 0 ? issue.path.join('.') : '(root)';
    const message = issue.message.replace(/^Invalid input: /, '').replace(/, received \w+$/, '');
    // Present when parsed with { reportInput: true }: show what was actually there.
    // Only scalars: a whole object after a cross-field rule says nothing the path does not.
    const scalar = 'input' in issue && issue.input !== undefined && (issue.input === null || typeof issue.input !== 'object');
    const got = scalar ? `, got ${JSON.stringify(issue.input)?.slice(0, 60)}` : '';
    return `${path}: ${message}${got}`;
  });
  const more = error.issues.length > 5 ? ` (+${error.issues.length - 5} more)` : '';
  return `${where}: ${parts.join('; ')}${more}`;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
