/**
 * A toolchain is everything language-specific about grading a submission: how to tell it
 * applies, which image builds and runs it, the commands, the env they need, the caches
 * worth keeping, what not to copy, how to read its test runner, and how its errors leak.
 * The harness asks these questions and never names a language itself; adding a language
 * is adding a folder beside node/.
 */
export interface Toolchain {
  id: string;
  title: string;
  /** Whether this toolchain applies to a folder, and why; null when it does not. */
  detect(files: RepoFiles): Detection | null;
  /** The files detection looks for, for the message when nothing applies; null when never detected. */
  lookedFor: string | null;
  /** The image real users pull to install, build and run with (the offline stand-in replaces it here). */
  image: string;
  /**
   * A slimmer image the server runs in, when what the build leaves needs less than the
   * build did (a static Go binary, a jar on a JRE); the candidate instances use it, the
   * install, build and test steps keep `image`. Absent: the server runs in `image`.
   */
  runImage?: string;
  /** Files that pin dependency versions (a repository signal: the candidate made installs repeatable). */
  lockfiles: readonly string[];
  /** Top-level folders never copied into the sandbox: the install recreates them. */
  packIgnore: readonly string[];
  /** The install, build, test and conventional start commands for this folder. */
  plan(files: RepoFiles): Promise<PlanResult>;
  /** Env for install, build and test steps (a writable home, cache locations). */
  buildEnv: Readonly<Record<string, string>>;
  /**
   * Registry settings passed from the grader's own environment to install and build steps
   * when set there (a mirror, its signature policy): named one by one, so nothing else of
   * the grader's environment reaches a container.
   */
  hostEnv?: readonly string[];
  /** Variables that take a CA bundle path, so installs reach registries through the host's CAs. */
  caBundleEnv: readonly string[];
  /** Env for the running server. */
  runEnv: Readonly<Record<string, string>>;
  /** Dependency caches mounted into install and build steps, kept between gradings. */
  caches: readonly CacheMount[];
  parseTestSummary(output: string): TestCounts | null;
  leakPatterns: readonly LeakPattern[];
}

/** A read-only view of the files that will be copied into the sandbox. */
export interface RepoFiles {
  /** Whether this relative path is a regular file that will be copied. */
  has(path: string): boolean;
  /** A small text file's content; null when absent or larger than 1 MiB. */
  read(path: string): Promise<string | null>;
}

export interface Detection {
  /** 'certain': a manifest file of the toolchain's own (package.json); 'likely': a weaker hint. */
  confidence: 'certain' | 'likely';
  because: string;
}

export interface CommandStep {
  cmd: string[];
  /** How the step is named in messages: "npm ci", "npm run build". */
  display: string;
}

export interface ToolchainPlan {
  install: CommandStep | null;
  build: CommandStep | null;
  /** The candidate's own tests; null when there are none. */
  test: CommandStep | null;
  /** The toolchain's convention for starting the server; null when none applies. */
  start: CommandStep | null;
  /** What the folder offers that might start it but is not a convention (a `dev` script), for the message when nothing applies. */
  startHints?: string[];
  /** What the start convention looked for, for the same message. */
  startLookedFor?: string;
  /** Runs a shell command the grader gave (a build or start override) the way the toolchain runs its own. */
  shell?: (command: string) => string[];
}

export type PlanResult = { ok: true; plan: ToolchainPlan } | { ok: false; problem: string };

export interface CacheMount {
  /** Names the volume (takehome-grader-cache-<id>). */
  id: string;
  /** Where it is mounted in build containers. */
  target: string;
  /** Env that points the tool at the mounted cache (only set when it is mounted). */
  env: Readonly<Record<string, string>>;
  /**
   * 'read-only': also mounted in the candidate's test step, read-only (with its env), for
   * a cache the offline tests cannot do without, or would spend minutes rebuilding (Go's
   * module and build caches). Absent: not mounted there. Never writable there: tests run
   * the candidate's code, which could plant entries for the next submission.
   */
  inTests?: 'read-only';
}

export interface TestCounts {
  passed: number;
  failed: number;
  runner: string;
}

/** A response pattern that gives away a runtime's internals (a regular expression source). */
export interface LeakPattern {
  label: string;
  pattern: string;
}
