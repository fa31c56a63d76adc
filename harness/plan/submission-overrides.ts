import { UsageError, formatZodIssues } from '../../core/errors.ts';
import { z } from 'zod';
import { TOOLCHAINS } from '../../sandbox/toolchains/toolchains.ts';

const text = z.string().trim().min(1);
/** Docker's reference grammar, simplified: [registry[:port]/]name[/name...][:tag][@sha256:digest]. */
const IMAGE_REFERENCE = /^(?:[a-zA-Z0-9.-]+(?::\d+)?\/)?[a-z0-9]+(?:[._-]+[a-z0-9]+)*(?:\/[a-z0-9]+(?:[._-]+[a-z0-9]+)*)*(?::[\w][\w.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;

/**
 * What a grader may say about one submission instead of letting the harness work it out:
 * the same five settings from `grade` flags, roster columns and Action inputs.
 */
export const submissionOverridesSchema = z.object({
  /** A toolchain id (node, python, go, java, command) instead of detection. */
  toolchain: text
    .refine((id) => TOOLCHAINS.some((toolchain) => toolchain.id === id), `is not a toolchain (${TOOLCHAINS.map((toolchain) => toolchain.id).join(', ')})`)
    .optional(),
  /** The image to install, build and run in, instead of the toolchain's. */
  image: text.regex(IMAGE_REFERENCE, 'is not an image reference (name[:tag][@sha256:digest], lower-case name)').optional(),
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
  const parsed = submissionOverridesSchema.safeParse(
    Object.fromEntries(Object.keys(submissionOverridesSchema.shape).flatMap((key) => (values[key] === undefined || values[key] === '' ? [] : [[key, values[key]]]))),
  );
  // An override is the operator's input: a bad one is a one-line usage error, never an internal one.
  if (!parsed.success) throw new UsageError(formatZodIssues(parsed.error, 'override'));
  return parsed.data;
}
