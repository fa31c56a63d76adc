import { z } from 'zod';

/** The phases of one grading, in the order they run and are reported. */
export const PHASES = ['prepare', 'fetch', 'install', 'build', 'repo', 'start', 'checks', 'load'] as const;
export const phaseNameSchema = z.enum(PHASES);
export type PhaseName = z.infer<typeof phaseNameSchema>;

export const PHASE_STATUSES = ['ok', 'failed', 'skipped'] as const;
export const phaseStatusSchema = z.enum(PHASE_STATUSES);
export type PhaseStatus = z.infer<typeof phaseStatusSchema>;

/** Machine-readable outcome codes; a reviewer reads `message`, tools read `code`. */
export const PHASE_CODES = [
  'OK',
  'SKIPPED',
  'CLONE_FAILED',
  'REPO_TOO_LARGE',
  'INSTALL_FAILED',
  'BUILD_FAILED',
  /** Nothing says how to start the server: no override, manifest entry or convention applies. */
  'NO_START_COMMAND',
  /** The submission is in a language or build tool the harness has no toolchain for. */
  'UNSUPPORTED_TOOLCHAIN',
  /** The server exited on its own (code 0) before it answered: a script, not a server. */
  'EXITED',
  /** The load probe could not create the items it measures (e.g. POST is not supported). */
  'SEED_FAILED',
  'NOT_READY',
  'WRONG_PORT',
  'CRASHED',
  'OOM_KILLED',
  'TIMEOUT',
  'HARNESS_ERROR',
] as const;
export const phaseCodeSchema = z.enum(PHASE_CODES);
export type PhaseCode = z.infer<typeof phaseCodeSchema>;

/** Whose fault a failed phase (or an unfinished check) is. */
export const BLAMES = ['candidate', 'harness'] as const;
export const blameSchema = z.enum(BLAMES);
export type Blame = z.infer<typeof blameSchema>;
