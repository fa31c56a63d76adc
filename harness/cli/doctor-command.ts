import { connectEngine, probeEngine } from '../../sandbox/engine.ts';
import { offlineImageName } from '../../sandbox/image/resolve-image.ts';
import { LABELS } from '../../sandbox/labels.ts';
import { isLeftover, reapLeftovers } from '../../sandbox/reaper.ts';
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
  const docker = connectEngine();
  const engine = await probeEngine(docker);
  findings.push({
    ok: engine.reachable,
    what: 'engine',
    detail: engine.reachable ? `Docker ${engine.version} at ${engine.endpoint}` : `not reachable at ${engine.endpoint}: ${engine.error}`,
    fix: 'install and start Docker (scripts/setup.sh does both on Debian), or set DOCKER_HOST',
  });
  if (engine.reachable) {
    const { manifest } = await loadAssignment(options.assignment);
    const configured = manifest.runtime.image;
    const present = await docker.getImage(configured).inspect().then(() => configured, () => null);
    const substitute = present ? null : await docker.getImage(offlineImageName(configured)).inspect().then(() => offlineImageName(configured), () => null);
    findings.push({
      ok: Boolean(present ?? substitute),
      what: 'image',
      detail: present ? `${configured} present` : substitute ? `${substitute} present (offline stand-in for ${configured})` : `${configured} missing`,
      fix: `docker pull ${configured}, or \`npx grader image build\` without a registry`,
    });
    const managed = await docker.listContainers({ all: true, filters: { label: [`${LABELS.managed}=true`] } });
    const leftovers = managed.filter((info) => isLeftover(info.Labels ?? {}));
    let detail = `${managed.length} harness containers, ${leftovers.length} left by crashed runs`;
    if (options.clean) {
      const removed = await reapLeftovers(docker);
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
