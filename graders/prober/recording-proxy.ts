import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Evidence } from '../../core/report.ts';
import { ProbeClient } from '../http/probe-client.ts';

export interface TimedEvidence {
  /** When the exchange finished, ms since the proxy started: the suite's lines carry the same clock. */
  atMs: number;
  evidence: Evidence;
  /** The test that sent it, from the request's X-Test-Name header (stripped before forwarding). */
  test?: string;
}

/** Suites may name the test on each request; attribution then needs no clock. */
export const TEST_NAME_HEADER = 'x-test-name';

const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'te', 'trailer', 'host']);
const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

/**
 * A loopback proxy in front of the candidate, so a hidden test suite in any runner leaves
 * the same evidence as a built-in check: every request it sent and every answer it saw.
 * Exchanges go through ProbeClient, so the suite meets the server exactly as the checks
 * do (no decompression, capped bodies, a deadline per exchange).
 */
export class RecordingProxy {
  readonly exchanges: TimedEvidence[] = [];
  omitted = 0;
  private server: http.Server | null = null;
  private readonly agent = new http.Agent({ keepAlive: true, maxSockets: Infinity });

  constructor(
    private readonly target: string,
    private readonly clock: () => number,
    private readonly maxExchanges = 400,
  ) {}

  /** Listens on an ephemeral loopback port and returns the base URL to hand to the suite. */
  async start(): Promise<string> {
    const server = http.createServer((req, res) => void this.forward(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections();
    this.agent.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private async forward(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of req as AsyncIterable<Buffer>) {
      size += chunk.length;
      if (size > MAX_REQUEST_BYTES) {
        res.writeHead(413, { 'content-type': 'text/plain' }).end('request body over the recording proxy limit (8 MiB)');
        return;
      }
      chunks.push(chunk);
    }
    const headers: Record<string, string> = {};
    const testName = req.headers[TEST_NAME_HEADER];
    for (const [name, value] of Object.entries(req.headers)) {
      if (value === undefined || HOP_BY_HOP.has(name) || name === TEST_NAME_HEADER) continue;
      headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const client = new ProbeClient(this.target, { maxEvidence: 1, maxBodyBytes: MAX_REQUEST_BYTES, timeoutMs: 30_000, agent: this.agent });
    const body = chunks.length > 0 ? Buffer.concat(chunks) : undefined;
    const result = await client.send({ method: req.method ?? 'GET', path: req.url ?? '/', headers, ...(body ? { body } : {}) });
    const entry = client.evidence[0];
    if (entry) {
      const test = typeof testName === 'string' ? testName.slice(0, 300) : undefined;
      if (this.exchanges.length < this.maxExchanges) this.exchanges.push({ atMs: this.clock(), evidence: entry, ...(test ? { test } : {}) });
      else this.omitted += 1;
    }
    if (!result.ok) {
      // The suite sees a transport failure as a 502 with the reason, and the evidence keeps the original.
      res.writeHead(502, { 'content-type': 'text/plain' }).end(result.error);
      return;
    }
    const outHeaders: Record<string, string> = {};
    for (const [name, value] of Object.entries(result.headers)) {
      if (!HOP_BY_HOP.has(name) && name !== 'content-length') outHeaders[name] = value;
    }
    res.writeHead(result.status, outHeaders).end(result.body);
  }
}
