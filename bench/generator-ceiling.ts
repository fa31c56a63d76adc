/**
 * The load generator's ceiling: the prober (autocannon, in the candidate's network
 * namespace, on its own CPU) against a trivial server, then wrk against the same server
 * from the same namespace and CPU (nsenter + taskset), in the same run. Needs root and wrk
 * (apt-get install -y wrk). Traffic stays on the container's loopback.
 */
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { execa } from 'execa';
import { assignmentImage } from '../harness/assignment/assignment-images.ts';
import { loadAssignment } from '../harness/assignment/load-assignment.ts';
import { PACKAGE_ROOT } from '../harness/paths.ts';
import { proberBundle } from '../graders/prober/build-bundle.ts';
import { probeInstance } from '../harness/phases/probe-instance.ts';
import { planPack } from '../sandbox/copy/pack-directory.ts';
import { connectRuntime } from '../sandbox/docker/docker-runtime.ts';
import { resolveHelperImage } from '../sandbox/image/helper-image.ts';
import { resolveImage } from '../sandbox/image/resolve-image.ts';
import { SandboxJob } from '../sandbox/sandbox-job.ts';
import { nodeToolchain } from '../sandbox/toolchains/node/node-toolchain.ts';
import { figure } from './support.ts';

const durationS = Number(process.env.DURATION_S ?? 10);
const connections = 50;
const runtime = connectRuntime();
const assignment = await loadAssignment();
const { manifest } = assignment;
const image = await resolveImage(runtime, await assignmentImage(assignment));
const helper = await resolveHelperImage(runtime);
const { ncpu } = await runtime.probe();
const proberCpu = String(ncpu - 1);
const root = path.join(PACKAGE_ROOT, 'test/fixtures/trivial-server');
const job = new SandboxJob(runtime, { jobId: `bench-${randomBytes(3).toString('hex')}`, image: image.name, helperImage: helper.name, ttlMs: 600_000, workspaceMb: 1024 });
try {
  await job.createVolumes();
  const caps = { memoryMb: 512, cpus: 1, pids: 256, tmpfsMb: 16 };
  const plan = await planPack(root, { ignoreTopLevel: nodeToolchain.packIgnore });
  await job.copySubmission({ root, plan, caBundlePath: null });
  await job.runBuildStep({ cmd: ['npm', 'ci'], env: { ...nodeToolchain.buildEnv }, caps, deadlineMs: 60_000, network: false, caches: [] });
  const server = await job.startCandidate({ cmd: ['npm', 'start'], env: { ...nodeToolchain.runEnv, PORT: '3000' }, caps: { ...caps, cpuset: '0' } });
  const settings = { path: '/items?limit=20', connections, durationS, warmupS: 1, runs: 1, minRuns: 1, agreeWithin: 1.15, seedCount: 0, timeoutS: 10, identities: { header: null, count: 1 } };
  const probe = await probeInstance(job, server, {
    bundle: await proberBundle(),
    caps: { memoryMb: 256, cpus: 1, pids: 64, tmpfsMb: 16, cpuset: proberCpu },
    deadlineMs: (durationS + 60) * 1000,
    input: {
      baseUrl: 'http://127.0.0.1:3000',
      mode: 'load',
      load: settings,
      instance: 'relaxed',
      readiness: { path: '/health', deadlineMs: 20_000, intervalMs: 200 },
      checkIds: [],
      checkTimeoutMs: 30_000,
      nonce: 'bench',
      params: {
        healthPath: '/health',
        items: { ...manifest.items, createBody: {} },
        pagination: manifest.pagination,
        errors: manifest.errors,
        rateLimit: { identity: 'header', identityHeader: 'X-API-Key', trustProxy: false, maxWaitS: 15, probePath: '/items', max: 1, windowMs: 1000, fixed: false },
        leakPatterns: [],
      },
    },
  });
  const proberRps = probe.load?.measurement?.median.rps ?? Number.NaN;
  // nsenter needs the host pid; the docker CLI tells it (the bench is Docker-only anyway).
  const pid = (await execa('docker', ['inspect', '--format', '{{.State.Pid}}', server.container.id])).stdout.trim();
  const wrk = await execa('taskset', ['-c', proberCpu, 'nsenter', '-t', String(pid), '-n', 'wrk', '-t1', `-c${connections}`, `-d${durationS}s`, 'http://127.0.0.1:3000/items?limit=20']);
  const wrkRps = Number(/Requests\/sec:\s+([\d.]+)/.exec(wrk.stdout)?.[1]);
  figure('prober_rps', proberRps);
  figure('wrk_rps', wrkRps);
  figure('generator_ceiling_ratio', proberRps / wrkRps);
} finally {
  await job.dispose();
}
