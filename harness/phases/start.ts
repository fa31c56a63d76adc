import type { Manifest } from '../../core/manifest.ts';
import type { RunningCandidate } from '../../sandbox/sandbox-job.ts';
import type { GradingRun } from '../grading-run.ts';
import { noStartMessage, resolveStart } from '../plan/resolve-start.ts';
import type { Workspace } from './install.ts';
import { Instances } from './instances.ts';
import { PhaseFailure, type PhaseSuccess } from './phase-recorder.ts';
import type { InstanceProbe } from './probe-instance.ts';
import { checkResult } from '../results/check-results.ts';
import { describeExit, wroteTooMuch } from '../results/describe-exit.ts';
import { truncatedFlag } from './step-outcome.ts';

export interface Started {
  instances: Instances;
  /** The first instance, ready; the checks phase hands it to the first run that may share it. */
  first: RunningCandidate;
  /** How long the first instance took from launch to its first HTTP answer: every instance pays it again. */
  startupMs: number;
}

/** The server started the way it is meant to start, and answering its health path. */
export async function start(run: GradingRun, workspace: Workspace, bundle: string): Promise<PhaseSuccess<Started>> {
  const { manifest } = run;
  const choice = resolveStart({
    override: run.request.overrides?.start ?? null,
    manifest: manifest.submission.start ?? null,
    procfile: workspace.procfile,
    convention: workspace.commands.start,
    toolchainTitle: workspace.toolchain.title,
  });
  if (!choice) throw new PhaseFailure('NO_START_COMMAND', 'candidate', noStartMessage(workspace.toolchain.title, workspace.commands));
  run.facts.start = { command: choice.step.display, from: choice.from };
  const instances = new Instances(run, workspace, bundle, choice);
  const launched = performance.now();
  const first = await instances.launch('relaxed');
  const ready = await instances.probe(first, { profile: 'relaxed', deadlineMs: (manifest.deadlines.start + 15) * 1000 });
  const startupMs = performance.now() - launched;
  if (!ready.ready?.ready) throw notReady(ready, first, manifest);
  const port = { expected: manifest.runtime.port, actual: ready.ready.port ?? manifest.runtime.port };
  run.facts.port = port;
  if (run.plan.portCheck) run.facts.results.push(checkResult(run.plan.portCheck, run.plan.portCheck.evaluate(port.expected, port.actual, ready.ready.evidence)));
  const answer = ready.ready.evidence.at(-1)?.response?.status;
  const where = port.actual === port.expected ? `port ${port.actual}` : `port ${port.actual}, not $PORT ${port.expected}`;
  return {
    value: { instances, first, startupMs },
    message: `${choice.step.display} (${choice.from}) answered GET ${manifest.runtime.healthPath} on ${where}${answer !== undefined ? ` with ${answer}` : ''} after ${(ready.ready.elapsedMs / 1000).toFixed(1)} s`,
    log: first.output.text(),
    flags: truncatedFlag(first.output.truncated),
  };
}

function notReady(probe: InstanceProbe, running: RunningCandidate, manifest: Manifest): PhaseFailure {
  const log = running.output.text();
  if (probe.crash) {
    const code = probe.crash.oomKilled ? 'OOM_KILLED' : probe.crash.exitCode === 0 ? 'EXITED' : 'CRASHED';
    const flags = wroteTooMuch(log) ? (['WORKSPACE_FULL'] as const) : [];
    return new PhaseFailure(code, 'candidate', `the server ${describeExit(probe.crash, log, manifest)} before it answered HTTP${code === 'EXITED' ? ' (it ended on its own: a script, not a server?)' : ''}`, log, [...flags]);
  }
  if (probe.proberProblem || !probe.ready) {
    return new PhaseFailure('HARNESS_ERROR', 'harness', probe.proberProblem ?? 'the prober reported no readiness result', log);
  }
  const { port } = manifest.runtime;
  const elsewhere = probe.ready.listening.filter((listening) => listening !== port);
  if (elsewhere.length > 0 && !probe.ready.listening.includes(port)) {
    return new PhaseFailure(
      'WRONG_PORT',
      'candidate',
      `the server listens on port ${elsewhere.join(', ')}, not on $PORT (${port}); no answer from GET ${manifest.runtime.healthPath} within ${manifest.deadlines.start} s`,
      log,
    );
  }
  return new PhaseFailure(
    'NOT_READY',
    'candidate',
    `no HTTP answer to GET ${manifest.runtime.healthPath} on port ${manifest.runtime.port} within ${manifest.deadlines.start} s (${probe.ready.attempts} attempts; last: ${probe.ready.lastError ?? 'none'})`,
    log,
  );
}
