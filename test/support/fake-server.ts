import { NODE_LEAK_PATTERNS } from '../../sandbox/toolchains/node/leak-patterns.ts';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CheckContext } from '../../graders/check.ts';
import { TrackedCollection } from '../../graders/checks/pagination/tracked-collection.ts';
import { ProbeClient } from '../../graders/http/probe-client.ts';
import { checkParamsSchema, type CheckParams } from '../../core/check-params.ts';

/** Starts a handler on a random loopback port for one test and always closes it. */
export async function withServer<T>(handler: http.RequestListener, fn: (baseUrl: string) => Promise<T>): Promise<T> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    return await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

/** The built-in contract's parameters, through the same schema the prober reads them with. */
export const PARAMS: CheckParams = checkParamsSchema.parse({
  healthPath: '/health',
  items: {},
  pagination: { seedCount: 23 },
  errors: {},
  rateLimit: { identity: 'header-or-ip', max: 5, windowMs: 3000, fixed: false },
  leakPatterns: [...NODE_LEAK_PATTERNS],
});

export function context(baseUrl: string, params: CheckParams = PARAMS, collection = new TrackedCollection()): CheckContext {
  const abort = new AbortController();
  return { http: new ProbeClient(baseUrl, { timeoutMs: 1_000 }), params, nonce: 'test', signal: abort.signal, collection };
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
