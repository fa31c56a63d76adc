import { z } from 'zod';

/**
 * What the sandbox saw a submission do that a reviewer should know about. Findings are
 * facts with evidence, not accusations: a `postinstall` that compiles a native module is
 * as much a finding as one that reads /etc/passwd; the severity says how much it matters
 * and the rubric maps the list to Security & Data as "observed".
 */
export const FINDING_KINDS = [
  /** A connection or DNS lookup the install/build egress proxy refused (host not allowed). */
  'egress-denied',
  /** A package lifecycle script (preinstall, postinstall, prepare, setup.py commands) ran. */
  'lifecycle-script',
  /** The container hit its process limit (the cgroup refused a fork). */
  'pids-limit',
  /** The kernel killed a process for exceeding the memory limit. */
  'oom-kill',
  /** The output went past what the harness keeps (the rest was dropped). */
  'output-cap',
  /** The workspace or /tmp filled to its cap. */
  'disk-cap',
  /** Error responses showed stack traces or internal paths (cross-listed from error handling). */
  'leaks-internals',
] as const;
export const findingKindSchema = z.enum(FINDING_KINDS);
export type FindingKind = z.infer<typeof findingKindSchema>;

/** info: worth knowing, often legitimate; warning: a limit or a rule was hit; serious: an attempt to get out. */
export const SEVERITIES = ['info', 'warning', 'serious'] as const;
export const severitySchema = z.enum(SEVERITIES);
export type Severity = z.infer<typeof severitySchema>;

export const findingSchema = z.object({
  kind: findingKindSchema,
  severity: severitySchema,
  /** Where it was seen: a phase name, or a check id for cross-listed findings. */
  where: z.string(),
  /** One line a reviewer reads first. */
  summary: z.string(),
  /** The trace it left (log lines, denied hosts, counters), truncated. */
  evidence: z.array(z.string()),
  /** How many times, when it was counted (denied attempts, refused forks). */
  count: z.number().int().nonnegative().optional(),
  /** When it was first seen (epoch ms), when known. */
  at: z.number().optional(),
});
export type Finding = z.infer<typeof findingSchema>;

/** What the harness watched, so a clean list can be told apart from one nobody looked for. */
export const securitySchema = z.object({
  findings: z.array(findingSchema),
  /** e.g. "egress of install and build through the allowlisting proxy", "the cgroup's pids events". */
  watched: z.array(z.string()),
});
export type Security = z.infer<typeof securitySchema>;
