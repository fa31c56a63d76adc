import { CONNECTION_LOST } from '../results/connection-lost.ts';
import type { Caps } from '../../sandbox/runtime/sandbox-runtime.ts';
import type { ProberFiles, ProberRun, RunningCandidate, SandboxJob } from '../../sandbox/sandbox-job.ts';
import { proberLineSchema, type CheckLine, type LoadLine, type ProberInput, type ReadyLine, type SuiteLine } from '../../graders/prober/protocol.ts';

/** How long to wait for the engine to report an exit the prober already saw. */
const EXIT_GRACE_MS = 5_000;

export interface CandidateExit {
  exitCode: number | null;
  oomKilled: boolean;
  /** When it ended (epoch ms), to find the check it interrupted; null if unknown. */
  atMs: number | null;
}

export interface InstanceProbe {
  ready: ReadyLine | null;
  checks: CheckLine[];
  load: LoadLine | null;
  suite: SuiteLine | null;
  /** The server exited while the prober was working. */
  crash: CandidateExit | null;
  /** The prober ran past its deadline and was killed. */
  timedOut: boolean;
  /** The prober itself misbehaved: a harness problem, not the candidate's. */
  proberProblem: string | null;
}

/**
 * Runs the prober once against a running instance and parses what it printed. A server
 * that has already exited gets no prober: there is no namespace left to join, and its
 * exit is the answer.
 */
export async function probeInstance(
  job: SandboxJob,
  candidate: RunningCandidate,
  options: { bundle: string; input: ProberInput; caps: Caps; deadlineMs: number; files?: ProberFiles; image?: string },
): Promise<InstanceProbe> {
  const exited = async (): Promise<InstanceProbe | null> => {
    const state = await candidate.container.state();
    if (state.running) return null;
    return { ready: null, checks: [], load: null, suite: null, crash: { exitCode: state.exitCode, oomKilled: state.oomKilled, atMs: state.finishedAtMs }, timedOut: false, proberProblem: null };
  };
  const before = await exited();
  if (before) return before;
  let run: ProberRun;
  try {
    run = await job.runProber({ candidate, ...options });
  } catch (error) {
    // Joining the namespace fails when the server exits between the check above and the
    // prober's start: that is the server's exit, not a harness fault.
    const after = await exited();
    if (after) return after;
    throw error;
  }
  const probe: InstanceProbe = { ready: null, checks: [], load: null, suite: null, crash: null, timedOut: run.exit.timedOut, proberProblem: null };
  let done = false;
  for (const raw of run.stdout.split('\n')) {
    if (raw.trim() === '') continue;
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      probe.proberProblem ??= `the prober printed a line that is not JSON: ${raw.slice(0, 200)}`;
      continue;
    }
    const line = proberLineSchema.safeParse(json);
    if (!line.success) {
      probe.proberProblem ??= `the prober printed a line outside its protocol: ${line.error.issues[0]?.message ?? ''}`;
      continue;
    }
    if (line.data.type === 'ready') probe.ready = line.data;
    else if (line.data.type === 'check') probe.checks.push(line.data);
    else if (line.data.type === 'load') probe.load = line.data;
    else if (line.data.type === 'suite') probe.suite = line.data;
    else done = true;
  }
  // The server may die while the prober carries on (its later requests are simply
  // refused), so ask the engine whether it is still running whoever finished first.
  let state = await candidate.container.state();
  if (state.running && probe.checks.some((line) => line.evidence.some((entry) => CONNECTION_LOST.test(entry.error ?? '')))) {
    // The prober lost its connection, and the engine records an exit a moment after the
    // process is gone: on a busy machine long enough to still read "running". Give it that moment.
    await Promise.race([candidate.container.exited(), new Promise((resolve) => setTimeout(resolve, EXIT_GRACE_MS))]);
    state = await candidate.container.state();
  }
  if (!state.running) {
    probe.crash = { exitCode: state.exitCode, oomKilled: state.oomKilled, atMs: state.finishedAtMs };
  } else if (!done && !run.exit.timedOut) {
    probe.proberProblem ??= `the prober exited with code ${run.exit.exitCode} before finishing${run.stdoutTruncated ? ' (its output was truncated)' : ''}: ${run.stderr.slice(-500)}`;
  }
  return probe;
}
