import type Docker from 'dockerode';
import type { EngineStatus } from '../runtime/sandbox-runtime.ts';

/** Version and CPU count within `timeoutMs`; an engine that does not answer is reported, never thrown. */
export async function probeDocker(docker: Docker, endpoint: string, timeoutMs = 5_000): Promise<EngineStatus> {
  let timer: NodeJS.Timeout | undefined;
  try {
    const [version, info] = await Promise.race([
      // dockerode leaves info() untyped; only NCPU is read, and checked below.
      Promise.all([docker.version(), docker.info() as Promise<{ NCPU?: unknown }>]),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    const ncpu = typeof info.NCPU === 'number' && info.NCPU > 0 ? info.NCPU : 1;
    return { reachable: true, version: version.Version, endpoint, ncpu, error: null };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const detail = code === 'ENOENT' || code === 'ECONNREFUSED' ? `${code}: no engine is listening` : (error as Error).message;
    return { reachable: false, version: null, endpoint, ncpu: 1, error: detail };
  } finally {
    clearTimeout(timer);
  }
}
