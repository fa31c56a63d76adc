import { NODE_LEAK_PATTERNS } from '../../sandbox/toolchains/node/leak-patterns.ts';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { CheckContext } from '../../graders/check.ts';
import { ProbeClient } from '../../graders/http/probe-client.ts';
import type { CheckParams } from '../../core/check-params.ts';

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

export const PARAMS: CheckParams = {
  healthPath: '/health',
  items: { path: '/items', createBody: { name: 'item {n}', price_cents: 100 }, idField: 'id' },
  pagination: {
    limitParam: 'limit',
    cursorParam: 'cursor',
    dataField: 'data',
    nextFrom: 'body',
    nextField: 'next_cursor',
    pageSize: 10,
    seedCount: 23,
    defaultLimit: 20,
    maxLimit: 100,
    invalidLimit: 'reject',
    orderField: 'created_at',
  },
  errors: {
    validationStatuses: [400, 422],
    maxBodyBytes: 1024 * 1024,
    unsupportedMediaStatuses: [415, 400],
    stringField: 'name',
    stringMaxLength: 200,
    integerField: 'price_cents',
  },
  rateLimit: { identityHeader: 'X-API-Key', probePath: '/items', max: 5, windowMs: 3000 },
  leakPatterns: [...NODE_LEAK_PATTERNS],
};

export function context(baseUrl: string, params: CheckParams = PARAMS): CheckContext {
  const abort = new AbortController();
  return { http: new ProbeClient(baseUrl, { timeoutMs: 1_000 }), params, nonce: 'test', signal: abort.signal };
}

export function json(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}
