import { listCaches } from '../../sandbox/cache/list-caches.ts';
import { connectRuntime } from '../../sandbox/docker/docker-runtime.ts';
import { STAND_IN_LABEL } from '../../sandbox/image/build-image.ts';
import { proberImageName, SUITE_RUNNERS, type SuiteRunner } from '../../sandbox/image/helper-image.ts';
import { PeerImageRuntime } from '../../sandbox/image/peer-image-runtime.ts';
import { offlineImageName } from '../../sandbox/image/resolve-image.ts';
import type { EngineLimits, SandboxRuntime } from '../../sandbox/runtime/sandbox-runtime.ts';
import { TOOLCHAINS, toolchainImages } from '../../sandbox/toolchains/toolchains.ts';
import { LABELS } from '../../sandbox/labels.ts';
import { isLeftover, reapLeftovers } from '../../sandbox/reaper.ts';
import { assignmentImage } from '../assignment/assignment-images.ts';
import { loadAssignment } from '../assignment/load-assignment.ts';
import { readEnginePool } from '../engines/engine-pool.ts';
import { poolRuntimes } from '../engines/pool-runtimes.ts';

interface Finding {
  ok: boolean;
  /** Not a failure, but worth knowing (an image only other assignments' submissions need). */
  info?: boolean;
  what: string;
  detail: string;
  fix?: string;
}

/**
 * `grader doctor`: what the harness needs, whether it is there, and what to do if not; with
 * `--engines`, the same for every engine of a pool, each line naming its engine.
 */
export async function doctorCommand(options: { clean?: boolean; assignment?: string; engines?: string }): Promise<number> {
  const engines = options.engines ? (await poolRuntimes(await readEnginePool(options.engines))).map((engine) => ({ name: engine.config.name, runtime: engine.runtime })) : [{ name: null, runtime: connectRuntime() }];
  const findings: Finding[] = [];
  for (const { name, runtime } of engines) {
    const found = await engineFindings(runtime, options);
    findings.push(...found.map((finding) => (name === null ? finding : { ...finding, what: `${name}: ${finding.what}` })));
  }
  const width = Math.max(10, ...findings.map((finding) => finding.what.length));
  for (const finding of findings) {
    process.stdout.write(`${finding.info ? 'info' : finding.ok ? 'ok  ' : 'FAIL'}  ${finding.what.padEnd(width)} ${finding.detail}\n`);
    if ((!finding.ok || finding.info) && finding.fix) process.stdout.write(`      ${''.padEnd(width)} → ${finding.fix}\n`);
  }
  return findings.every((finding) => finding.ok) ? 0 : 1;
}

/** One engine: reachable and its version, the images, the caches, leftovers. */
async function engineFindings(runtime: SandboxRuntime, options: { clean?: boolean; assignment?: string }): Promise<Finding[]> {
  const findings: Finding[] = [];
  const engine = await runtime.probe();
  const engineName = runtime.kind === 'docker' ? 'Docker' : runtime.kind;
  findings.push({
    ok: engine.reachable,
    what: 'engine',
    detail: engine.reachable ? `${engineName} ${engine.version} at ${engine.endpoint} (${engine.ncpu} CPUs)` : `not reachable at ${engine.endpoint}: ${engine.error}`,
    fix: 'install and start Docker (scripts/setup.sh does both on Debian), or set DOCKER_HOST',
  });
  if (engine.reachable) {
    findings.push(limitsFinding(engine.limits));
    const assignment = await loadAssignment(options.assignment);
    const configured = await assignmentImage(assignment);
    const runImage = assignment.manifest.runtime.image ? undefined : TOOLCHAINS.find((toolchain) => toolchain.image === configured)?.runImage;
    const needed = new Set([configured, ...(runImage ? [runImage] : [])]);
    // Every image a toolchain names: the assignment's are required, the others are
    // information (a Go submission to this assignment would need golang's).
    const images = [...new Set([configured, ...TOOLCHAINS.flatMap(toolchainImages)])];
    for (const image of images) {
      const users = TOOLCHAINS.filter((toolchain) => toolchainImages(toolchain).includes(image)).map((toolchain) => toolchain.id);
      const found = await findImageOrStandIn(runtime, image);
      const isNeeded = needed.has(image);
      const role = isNeeded ? `needed by ${assignment.manifest.id}` : `for ${users.join(', ') || 'the assignment'} submissions`;
      findings.push({
        ok: found !== null || !isNeeded,
        info: found === null && !isNeeded,
        what: 'image',
        detail: found === null ? `${image} missing (${role})` : `${found} (${role})`,
        fix: `docker pull ${image}, or \`npx grader image build${isNeeded ? '' : ` --toolchain ${users[0] ?? ''}`}\` without a registry`,
      });
    }
    const runners = new Set<SuiteRunner>(['node', ...assignment.manifest.suites.map((suite) => suite.runner)]);
    for (const runner of SUITE_RUNNERS) {
      const name = proberImageName(runner);
      const here = (await ownRuntime(runtime).findImage(name)) !== null;
      const peer = here ? null : await peerHaving(runtime, name);
      const present = here || peer !== null;
      const isNeeded = runners.has(runner);
      const role = runner === 'node' ? 'runs the prober' : `runs ${runner} hidden suites${isNeeded ? '' : `; ${assignment.manifest.id} has none`}`;
      findings.push({
        ok: present || !isNeeded,
        info: !present && !isNeeded,
        what: runner === 'node' ? 'helper' : 'prober',
        detail: `${name} ${here ? 'present' : peer ? `not here yet: loaded from ${peer} when a grading first needs it` : 'missing'} (${role})`,
        fix: isNeeded ? 'npx grader image build' : 'npx grader image build --all',
      });
    }
    for (const cache of await listCaches(runtime)) {
      findings.push({
        ok: true,
        what: 'cache',
        detail: `${cache.id}: ${cache.volume}, ${formatBytes(cache.sizeBytes)} (kept between gradings on purpose; npx grader cache prune removes it)`,
      });
    }
    const managed = (await runtime.listObjects({ [LABELS.managed]: 'true' })).filter((object) => object.kind === 'container');
    const leftovers = managed.filter((object) => isLeftover(object.labels));
    let detail = `${managed.length} harness containers, ${leftovers.length} left by crashed runs`;
    if (options.clean) {
      const removed = await reapLeftovers(runtime);
      detail += `; removed ${removed.containers} containers, ${removed.volumes} volumes and ${removed.networks} networks`;
    }
    findings.push({ ok: options.clean === true || leftovers.length === 0, what: 'leftovers', detail, fix: 'npx grader doctor --clean' });
  }
  return findings;
}

/**
 * Without the memory and pids controllers a submission's fork bomb or memory bomb reaches
 * the host: the sandbox is not safe there. CPU quotas only keep gradings fair to each other.
 */
function limitsFinding(limits: EngineLimits | null): Finding {
  if (limits === null) return { ok: true, info: true, what: 'limits', detail: 'the engine does not say which container limits it enforces', fix: 'check that its cgroups have the memory, pids and cpu controllers' };
  const missing = [...(limits.memory ? [] : ['memory']), ...(limits.pids ? [] : ['pids'])];
  const detail = `cgroup ${limits.cgroup}: memory ${limits.memory ? 'yes' : 'NO'}, pids ${limits.pids ? 'yes' : 'NO'}, cpu quota ${limits.cpu ? 'yes' : 'no'}`;
  if (missing.length > 0) {
    return { ok: false, what: 'limits', detail: `${detail}: a submission's ${missing.join(' and ')} use would not be capped`, fix: `enable the ${missing.join(' and ')} cgroup controller${missing.length > 1 ? 's' : ''} (cgroup v2, or cgroup_enable=memory on the kernel command line) and restart the engine` };
  }
  return { ok: true, info: !limits.cpu, what: 'limits', detail, fix: 'enable CPU quotas (the cpu controller): without them gradings on this engine share CPU unevenly' };
}

function formatBytes(bytes: number | null): string {
  if (bytes === null) return 'size unknown';
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}

/** "<image> present", or "<stand-in> present (offline stand-in for …: how it differs)"; null when neither is there. */
async function findImageOrStandIn(runtime: SandboxRuntime, image: string): Promise<string | null> {
  const own = ownRuntime(runtime);
  if (await own.findImage(image)) return `${image} present`;
  const standIn = await own.findImage(offlineImageName(image));
  if (standIn) {
    const note = standIn.labels[STAND_IN_LABEL];
    return `${offlineImageName(image)} present (offline stand-in${note ? ` for ${note}` : ` for ${image}`})`;
  }
  for (const name of [image, offlineImageName(image)]) {
    const peer = await peerHaving(runtime, name);
    if (peer) return `${name} not here yet: loaded from ${peer} when a grading first needs it`;
  }
  return null;
}

/** An engine of a pool without its peers: looking must not copy images between engines. */
function ownRuntime(runtime: SandboxRuntime): SandboxRuntime {
  return runtime instanceof PeerImageRuntime ? runtime.own : runtime;
}

function peerHaving(runtime: SandboxRuntime, image: string): Promise<string | null> {
  return runtime instanceof PeerImageRuntime ? runtime.peerHaving(image) : Promise.resolve(null);
}
