import type Docker from 'dockerode';
import { z } from 'zod';
import type { EngineLimits, EngineStatus } from '../runtime/sandbox-runtime.ts';

/** The part of `docker info` read here; a field an engine leaves out or states oddly is unknown. */
const infoSchema = z
  .object({
    // Each field on its own: one odd field must not cost the others (NCPU sizes the cpusets).
    NCPU: z.number().int().positive().optional().catch(undefined),
    MemoryLimit: z.boolean().optional().catch(undefined),
    PidsLimit: z.boolean().optional().catch(undefined),
    CpuCfsQuota: z.boolean().optional().catch(undefined),
    CgroupVersion: z.string().optional().catch(undefined),
    CgroupDriver: z.string().optional().catch(undefined),
  })
  .catch({});

/** Limits as `docker info` states them; null when it states none of them. */
export function engineLimits(raw: unknown): EngineLimits | null {
  const info = infoSchema.safeParse(raw);
  if (!info.success || info.data.MemoryLimit === undefined || info.data.PidsLimit === undefined) return null;
  const { MemoryLimit, PidsLimit, CpuCfsQuota, CgroupVersion, CgroupDriver } = info.data;
  return { memory: MemoryLimit, pids: PidsLimit, cpu: CpuCfsQuota ?? false, cgroup: `v${CgroupVersion ?? '?'} (${CgroupDriver ?? 'unknown driver'})` };
}

/** Version and CPU count within `timeoutMs`; an engine that does not answer is reported, never thrown. */
export async function probeDocker(docker: Docker, endpoint: string, timeoutMs = 5_000): Promise<EngineStatus> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const [version, info] = await Promise.race([
      // dockerode leaves info() untyped: read through infoSchema.
      Promise.all([docker.version(), docker.info() as Promise<unknown>]),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    const parsed = infoSchema.safeParse(info);
    const ncpu = parsed.success ? (parsed.data.NCPU ?? 1) : 1;
    return { reachable: true, version: version.Version, endpoint, ncpu, error: null, limits: engineLimits(info) };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const detail = code === 'ENOENT' || code === 'ECONNREFUSED' ? `${code}: no engine is listening` : (error as Error).message;
    return { reachable: false, version: null, endpoint, ncpu: 1, error: detail, limits: null };
  } finally {
    clearTimeout(timer);
  }
}
