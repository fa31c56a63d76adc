import { listCaches } from '../../sandbox/cache/list-caches.ts';
import { connectRuntime } from '../../sandbox/docker/docker-runtime.ts';
import { helperImageName } from '../../sandbox/image/helper-image.ts';
import { offlineImageName } from '../../sandbox/image/resolve-image.ts';
import { LABELS } from '../../sandbox/labels.ts';
import { isLeftover, reapLeftovers } from '../../sandbox/reaper.ts';
import { assignmentImage } from '../assignment/assignment-images.ts';
import { loadAssignment } from '../assignment/load-assignment.ts';

interface Finding {
  ok: boolean;
  what: string;
  detail: string;
  fix?: string;
}

/** `grader doctor`: what the harness needs, whether it is there, and what to do if not. */
export async function doctorCommand(options: { clean?: boolean; assignment?: string }): Promise<number> {
  const findings: Finding[] = [];
  const runtime = connectRuntime();
  const engine = await runtime.probe();
  const engineName = runtime.kind === 'docker' ? 'Docker' : runtime.kind;
  findings.push({
    ok: engine.reachable,
    what: 'engine',
    detail: engine.reachable ? `${engineName} ${engine.version} at ${engine.endpoint} (${engine.ncpu} CPUs)` : `not reachable at ${engine.endpoint}: ${engine.error}`,
    fix: 'install and start Docker (scripts/setup.sh does both on Debian), or set DOCKER_HOST',
  });
  if (engine.reachable) {
    const configured = await assignmentImage(await loadAssignment(options.assignment));
    const present = (await runtime.findImage(configured)) ? configured : null;
    const substitute = present ? null : (await runtime.findImage(offlineImageName(configured))) ? offlineImageName(configured) : null;
    findings.push({
      ok: Boolean(present ?? substitute),
      what: 'image',
      detail: present ? `${configured} present` : substitute ? `${substitute} present (offline stand-in for ${configured})` : `${configured} missing`,
      fix: `docker pull ${configured}, or \`npx grader image build\` without a registry`,
    });
    const helper = helperImageName();
    const helperPresent = (await runtime.findImage(helper)) !== null;
    findings.push({
      ok: helperPresent,
      what: 'helper',
      detail: helperPresent ? `${helper} present (runs the prober)` : `${helper} missing (it runs the prober)`,
      fix: 'npx grader image build',
    });
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
      detail += `; removed ${removed.containers} containers and ${removed.volumes} volumes`;
    }
    findings.push({ ok: options.clean === true || leftovers.length === 0, what: 'leftovers', detail, fix: 'npx grader doctor --clean' });
  }
  for (const finding of findings) {
    process.stdout.write(`${finding.ok ? 'ok  ' : 'FAIL'}  ${finding.what.padEnd(10)} ${finding.detail}\n`);
    if (!finding.ok && finding.fix) process.stdout.write(`      ${''.padEnd(10)} → ${finding.fix}\n`);
  }
  return findings.every((finding) => finding.ok) ? 0 : 1;
}

function formatBytes(bytes: number | null): string {
  if (bytes === null) return 'size unknown';
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  if (bytes < 1024 ** 3) return `${(bytes / 1024 ** 2).toFixed(1)} MiB`;
  return `${(bytes / 1024 ** 3).toFixed(2)} GiB`;
}
