import net from 'node:net';
import { describeResult } from '../http/describe-result.ts';
import { ProbeClient } from '../http/probe-client.ts';
import type { ProberInput, ReadyLine } from './protocol.ts';
import { listeningPorts } from './listening-ports.ts';

/**
 * Readiness comes from an address no check uses, so a limiter that counts every request
 * per client IP has spent nothing of a check's budget when the checks begin.
 */
export const READINESS_SOURCE = '127.0.0.254';
/** How long $PORT must stay closed while exactly one other port listens before that port is taken for the server's. */
const WRONG_PORT_GRACE_MS = 3_000;

function accepts(port: number, timeoutMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: READINESS_SOURCE });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Ready means answering HTTP: the port accepts a connection (checked first, so a server
 * still booting costs no request), then one GET of the health path, and any HTTP answer
 * will do. Whether that answer is a 2xx is a check of its own. A server that listens on
 * exactly one other port instead of $PORT is ready there: the port check fails, and the
 * rest is graded where it listens.
 */
export async function waitReady(input: ProberInput): Promise<Omit<ReadyLine, 'type'>> {
  const started = performance.now();
  const elapsed = () => performance.now() - started;
  const { path, deadlineMs, intervalMs } = input.readiness;
  const expected = Number(new URL(input.baseUrl).port || 80);
  let attempts = 0;
  let lastError: string | null = null;
  let client: ProbeClient | undefined;
  // The one other port seen listening, and since when; reset when that changes.
  const other = { port: 0, since: 0 };
  while (elapsed() < deadlineMs) {
    attempts += 1;
    let port: number | null = (await accepts(expected, 1_000)) ? expected : null;
    if (port === null) {
      lastError = `nothing accepts connections on port ${expected}`;
      const others = (await listeningPorts()).filter((listening) => listening !== expected);
      const only = others.length === 1 ? others[0] : undefined;
      if (only === undefined) other.port = 0;
      else if (other.port !== only) Object.assign(other, { port: only, since: elapsed() });
      else if (elapsed() - other.since >= WRONG_PORT_GRACE_MS && (await accepts(only, 1_000))) port = only;
    }
    if (port !== null) {
      client = new ProbeClient(`http://127.0.0.1:${port}`, { timeoutMs: 5_000, localAddress: READINESS_SOURCE });
      const result = await client.send({ method: 'GET', path, note: `readiness: port ${port} accepts connections; any HTTP answer means ready` });
      if (result.ok) return { ready: true, elapsedMs: elapsed(), attempts, lastError: null, listening: [], port, evidence: client.evidence };
      lastError = describeResult(result);
    }
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const listening = (await listeningPorts()).slice(0, 100);
  return { ready: false, elapsedMs: elapsed(), attempts, lastError, listening, evidence: client?.evidence ?? [] };
}
