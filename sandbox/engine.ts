import Docker from 'dockerode';

export type Engine = Docker;

export interface EngineStatus {
  reachable: boolean;
  version: string | null;
  /** Where dockerode connected: DOCKER_HOST, or the default socket. */
  endpoint: string;
  error: string | null;
}

/** dockerode reads DOCKER_HOST / DOCKER_TLS_VERIFY / DOCKER_CERT_PATH itself. */
export function connectEngine(): Engine {
  return new Docker();
}

export async function probeEngine(docker: Engine, timeoutMs = 5_000): Promise<EngineStatus> {
  const endpoint = process.env.DOCKER_HOST ?? 'unix:///var/run/docker.sock';
  let timer: NodeJS.Timeout | undefined;
  try {
    const version = await Promise.race([
      docker.version(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { reachable: true, version: version.Version, endpoint, error: null };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const detail = code === 'ENOENT' || code === 'ECONNREFUSED' ? `${code}: no engine is listening` : (error as Error).message;
    return { reachable: false, version: null, endpoint, error: detail };
  } finally {
    clearTimeout(timer);
  }
}
