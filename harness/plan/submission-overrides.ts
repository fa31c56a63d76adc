import { z } from 'zod';

const text = z.string().trim().min(1);

/**
 * What a grader may say about one submission instead of letting the harness work it out:
 * the same five settings from `grade` flags, roster columns and Action inputs.
 */
export const submissionOverridesSchema = z.object({
  /** A toolchain id (node, python, go, java, command) instead of detection. */
  toolchain: text.optional(),
  /** The image to install, build and run in, instead of the toolchain's. */
  image: text.optional(),
  /** A shell command that starts the server, run with `sh -c`. */
  start: text.optional(),
  /** A shell command that builds it, instead of the toolchain's build step. */
  build: text.optional(),
  /** The app's folder inside the repository; repo signals still read the whole repository. */
  dir: text
    .refine((value) => !value.startsWith('/') && !value.split(/[\\/]/).includes('..'), 'must be a folder inside the repository (no leading / and no ..)')
    .optional(),
});
export type SubmissionOverrides = z.infer<typeof submissionOverridesSchema>;

/** Only the settings that were given: an absent one leaves the decision to the harness. */
export function pickOverrides(values: Record<string, unknown>): SubmissionOverrides {
  const parsed = submissionOverridesSchema.parse(
    Object.fromEntries(Object.keys(submissionOverridesSchema.shape).flatMap((key) => (values[key] === undefined || values[key] === '' ? [] : [[key, values[key]]]))),
  );
  return parsed;
}
