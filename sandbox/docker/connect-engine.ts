import Docker from 'dockerode';
import type { SandboxRuntime } from '../runtime/sandbox-runtime.ts';
import { DockerRuntime } from './docker-runtime.ts';

/** TLS material for a tcp:// engine: paths, read by the caller (see readTlsFiles). */
export interface EngineTls {
  ca: string | Buffer;
  cert: string | Buffer;
  key: string | Buffer;
}

/**
 * dockerode's connection options for one DOCKER_HOST value. Kept apart from connecting so
 * the parsing can be tested without an engine. tcp:// without TLS is allowed only on a
 * loopback address: anything else would hand the engine (root on that host) to the network.
 */
export function dockerOptionsFor(host: string, tls: EngineTls | null = null): Docker.DockerOptions {
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new Error(`not a DOCKER_HOST value: ${host} (unix:///path, tcp://host:port or ssh://user@host)`);
  }
  switch (url.protocol) {
    case 'unix:': {
      const socketPath = decodeURIComponent(url.pathname);
      if (!socketPath || socketPath === '/') throw new Error(`${host}: a unix:// host needs a socket path`);
      return { socketPath };
    }
    case 'tcp:': {
      const port = url.port === '' ? (tls ? 2376 : 2375) : Number(url.port);
      const hostname = url.hostname.replace(/^\[|\]$/g, '');
      if (!tls && !isLoopback(hostname)) throw new Error(`${host}: a tcp:// engine off this machine needs TLS (ca, cert, key)`);
      return tls ? { host: hostname, port, protocol: 'https', ca: tls.ca, cert: tls.cert, key: tls.key } : { host: hostname, port, protocol: 'http' };
    }
    case 'ssh:': {
      // docker-modem runs `docker system dial-stdio` over ssh2, as the docker CLI does.
      const options: Docker.DockerOptions = { protocol: 'ssh', host: url.hostname, port: url.port === '' ? 22 : Number(url.port) };
      if (url.username) options.username = decodeURIComponent(url.username);
      // ssh2 takes keys from the agent the operator's shell already uses.
      if (process.env.SSH_AUTH_SOCK) options.sshOptions = { agent: process.env.SSH_AUTH_SOCK };
      return options;
    }
    default:
      throw new Error(`${host}: unsupported scheme ${url.protocol} (unix://, tcp:// or ssh://)`);
  }
}

function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '::1' || /^127\./.test(hostname);
}

/** The sandbox runtime of one engine of a pool, by its DOCKER_HOST value. */
export function connectEngine(host: string, tls: EngineTls | null = null): SandboxRuntime {
  return new DockerRuntime(new Docker(dockerOptionsFor(host, tls)), host);
}
