import type { Manifest } from '../../core/manifest.ts';
import type { RunningCandidate } from '../../sandbox/sandbox-job.ts';
import type { GradingRun } from '../grading-run.ts';
import { resolveStart } from '../plan/resolve-start.ts';
import type { Workspace } from './install.ts';
import { Instances } from './instances.ts';
import { PhaseFailure, type PhaseSuccess } from './phase-recorder.ts';
import type { InstanceProbe } from './probe-instance.ts';
import { truncatedFlag } from './step-outcome.ts';

export interface Started {
  instances: Instances;
  /** The first instance, ready; the checks phase hands it to the first run that may share it. */
  first: RunningCandidate;
}

/** The server started the way it is meant to start, and answering its health path. */
export async function start(run: GradingRun, workspace: Workspace, bundle: string): Promise<PhaseSuccess<Started>> {
  const { manifest } = run;
  const choice = resolveStart({ override: run.request.overrides?.start ?? null, convention: workspace.commands.start, toolchainTitle: workspace.toolchain.title });
  if (!choice) {
    throw new PhaseFailure('NO_START_COMMAND', 'candidate', `no start command: the ${workspace.toolchain.title} toolchain has no convention that applies; give one with --start`);
  }
  run.facts.start = { command: choice.step.display, from: choice.from };
  const instances = new Instances(run, workspace, bundle, choice);
  const first = await instances.launch('relaxed');
  const ready = await instances.probe(first, { profile: 'relaxed', deadlineMs: (manifest.deadlines.start + 15) * 1000 });
  if (!ready.ready?.ready) throw notReady(ready, first, manifest);
  return {
    value: { instances, first },
    message: `${choice.step.display} (${choice.from}) answered GET ${manifest.runtime.healthPath} after ${(ready.ready.elapsedMs / 1000).toFixed(1)} s`,
    log: first.output.text(),
    flags: truncatedFlag(first.output.truncated),
  };
}

function notReady(probe: InstanceProbe, running: RunningCandidate, manifest: Manifest): PhaseFailure {
  const log = running.output.text();
  if (probe.crash) {
    const how = probe.crash.oomKilled ? 'was killed for exceeding its memory limit' : `exited with code ${probe.crash.exitCode ?? '?'}`;
    return new PhaseFailure(probe.crash.oomKilled ? 'OOM_KILLED' : 'CRASHED', 'candidate', `the server ${how} before it became ready`, log);
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
    `no 2xx from GET ${manifest.runtime.healthPath} on port ${manifest.runtime.port} within ${manifest.deadlines.start} s (${probe.ready.attempts} attempts; last: ${probe.ready.lastError ?? 'none'})`,
    log,
  );
}
