import http from 'node:http';
import type { Evidence } from '../../core/report.ts';
import { stripControl, truncate } from '../../core/text.ts';

export interface ProbeRequest {
  method: string;
  /** Sent as-is on the request line, so checks can send paths `URL` would normalise. */
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  timeoutMs?: number;
  /** Why this request is sent, shown beside it in the evidence. */
  note?: string;
  /** false: do not add to evidence (bulk seeding); failures are still recorded. */
  record?: boolean;
  /** The loopback source address of this request (a per-IP client), over the client's. */
  localAddress?: string;
}

export interface ProbeResponse {
  ok: true;
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: Buffer;
  bodyBytes: number;
  /** The server sent more than the client keeps; the rest was discarded. */
  truncated: boolean;
  durationMs: number;
  text(): string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json(): unknown;
}

export interface ProbeFailure {
  ok: false;
  /** timeout | reset | refused | oversize-headers | other transport error, with detail. */
  error: string;
  durationMs: number;
}

export type ProbeResult = ProbeResponse | ProbeFailure;

export interface ProbeClientOptions {
  timeoutMs: number;
  /** Hard cap on bytes read from one response; the socket is closed past it. */
  maxBodyBytes: number;
  /** How much of each body the evidence keeps. */
  evidenceBodyChars: number;
  maxEvidence: number;
  signal?: AbortSignal;
  /** Default false: a fresh connection per request (see exchange). */
  agent?: http.Agent | false;
  /**
   * The loopback address requests come from (127.0.0.2, …): the prober shares the
   * candidate's namespace, where all of 127.0.0.0/8 is local, so each address is a
   * distinct client IP to the server.
   */
  localAddress?: string;
  /**
   * For a budget fixed in code: requests that name no client of their own are spread over
   * fresh clients, `every` at a time, so a check about pagination is never decided by the
   * rate limiter.
   */
  spread?: { every: number; next: () => { headers: Record<string, string>; localAddress?: string } };
}

export const DEFAULT_CLIENT_OPTIONS: ProbeClientOptions = {
  timeoutMs: 5_000,
  maxBodyBytes: 1024 * 1024,
  evidenceBodyChars: 2_048,
  maxEvidence: 25,
};

const MAX_EVIDENCE_HEADERS = 40;

/**
 * HTTP client for talking to an untrusted server. Unlike fetch it never decompresses,
 * caps what it reads, applies a deadline to the whole exchange, and records every
 * request/response pair as evidence for the report.
 */
export class ProbeClient {
  readonly evidence: Evidence[] = [];
  evidenceOmitted = 0;
  private readonly base: URL;
  private readonly options: ProbeClientOptions;

  constructor(
    readonly baseUrl: string,
    options: Partial<ProbeClientOptions> = {},
  ) {
    this.base = new URL(baseUrl);
    this.options = { ...DEFAULT_CLIENT_OPTIONS, ...options };
  }

  note(text: string): void {
    this.push({ note: stripControl(text) });
  }

  private spreadCount = 0;
  private spreadClient: { headers: Record<string, string>; localAddress?: string } | null = null;

  async send(request: ProbeRequest): Promise<ProbeResult> {
    const sent = this.spreadOver(request);
    const result = await this.exchange(sent);
    if (request.record !== false || !result.ok) this.push(this.toEvidence(sent, result));
    return result;
  }

  private spreadOver(request: ProbeRequest): ProbeRequest {
    const { spread } = this.options;
    if (!spread || request.localAddress !== undefined) return request;
    if (this.spreadClient === null || this.spreadCount >= spread.every) {
      this.spreadClient = spread.next();
      this.spreadCount = 0;
    }
    this.spreadCount += 1;
    const client = this.spreadClient;
    return {
      ...request,
      headers: { ...client.headers, ...request.headers },
      ...(client.localAddress ? { localAddress: client.localAddress } : {}),
    };
  }

  private push(entry: Evidence): void {
    if (this.evidence.length < this.options.maxEvidence) this.evidence.push(entry);
    else this.evidenceOmitted += 1;
  }

  private exchange(request: ProbeRequest): Promise<ProbeResult> {
    const started = performance.now();
    const elapsed = () => Math.round((performance.now() - started) * 10) / 10;
    const timeoutMs = request.timeoutMs ?? this.options.timeoutMs;
    const { maxBodyBytes } = this.options;

    return new Promise<ProbeResult>((resolve) => {
      let settled = false;
      const finish = (result: ProbeResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.options.signal?.removeEventListener('abort', onAbort);
        resolve(result);
      };
      const fail = (error: string) => finish({ ok: false, error, durationMs: elapsed() });

      const headers: Record<string, string | number> = { ...request.headers };
      if (request.body !== undefined && !hasHeader(headers, 'content-length')) {
        headers['content-length'] = Buffer.byteLength(request.body);
      }
      const req = http.request({
        host: this.base.hostname,
        port: this.base.port,
        method: request.method,
        path: request.path,
        headers,
        // A fresh connection per request: one slow or broken response never poisons the next.
        agent: this.options.agent ?? false,
        maxHeaderSize: 32 * 1024,
        ...((request.localAddress ?? this.options.localAddress) ? { localAddress: request.localAddress ?? this.options.localAddress } : {}),
      });
      const timer = setTimeout(() => {
        fail(`timeout: no complete response within ${timeoutMs} ms`);
        req.destroy();
      }, timeoutMs);
      const onAbort = () => {
        fail('aborted: the check ran out of time');
        req.destroy();
      };
      this.options.signal?.addEventListener('abort', onAbort, { once: true });

      req.on('error', (error: NodeJS.ErrnoException) => fail(describeTransportError(error)));
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let kept = 0;
        let total = 0;
        let truncated = false;
        const done = () =>
          finish(makeResponse(res.statusCode ?? 0, res.headers, Buffer.concat(chunks), total, truncated, elapsed()));
        res.on('data', (chunk: Buffer) => {
          total += chunk.length;
          if (kept + chunk.length > maxBodyBytes) {
            chunks.push(chunk.subarray(0, maxBodyBytes - kept));
            kept = maxBodyBytes;
            truncated = true;
            done();
            res.destroy();
            return;
          }
          chunks.push(chunk);
          kept += chunk.length;
        });
        res.on('end', done);
        res.on('error', (error: NodeJS.ErrnoException) => fail(describeTransportError(error)));
        res.on('close', () => {
          if (!res.complete) fail('reset: the server closed the connection mid-response');
        });
      });
      req.end(request.body);
    });
  }

  private toEvidence(request: ProbeRequest, result: ProbeResult): Evidence {
    const { evidenceBodyChars } = this.options;
    const entry: Evidence = {
      request: {
        method: request.method,
        path: stripControl(truncate(request.path, 300)),
        ...(request.headers ? { headers: request.headers } : {}),
        ...(request.localAddress ? { from: request.localAddress } : {}),
        ...(request.body !== undefined
          ? { body: stripControl(truncate(request.body.toString('utf8'), evidenceBodyChars)) }
          : {}),
      },
      durationMs: result.durationMs,
      ...(request.note ? { note: request.note } : {}),
    };
    if (!result.ok) return { ...entry, error: result.error };
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(result.headers).slice(0, MAX_EVIDENCE_HEADERS)) {
      headers[stripControl(truncate(name, 100))] = stripControl(truncate(value, 300));
    }
    const text = result.text();
    return {
      ...entry,
      response: {
        status: result.status,
        headers,
        body: stripControl(truncate(text, evidenceBodyChars)),
        bodyBytes: result.bodyBytes,
        bodyTruncated: result.truncated || text.length > evidenceBodyChars,
      },
    };
  }
}

function hasHeader(headers: Record<string, unknown>, name: string): boolean {
  return Object.keys(headers).some((key) => key.toLowerCase() === name);
}

function makeResponse(
  status: number,
  raw: http.IncomingHttpHeaders,
  body: Buffer,
  bodyBytes: number,
  truncated: boolean,
  durationMs: number,
): ProbeResponse {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
  }
  return {
    ok: true,
    status,
    headers,
    body,
    bodyBytes,
    truncated,
    durationMs,
    text: () => body.toString('utf8'),
    json: () => {
      try {
        return JSON.parse(body.toString('utf8')) as unknown;
      } catch {
        return undefined;
      }
    },
  };
}

function describeTransportError(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ECONNREFUSED':
      return 'refused: nothing is listening on the port';
    case 'ECONNRESET':
      return 'reset: the server dropped the connection';
    case 'HPE_HEADER_OVERFLOW':
      return 'oversize-headers: response headers exceed 32 KiB';
    case 'HPE_INVALID_CONSTANT':
    case 'HPE_INVALID_STATUS':
      return `garbage: the server did not answer with HTTP (${error.code})`;
    default:
      return `${error.code ?? 'error'}: ${error.message}`;
  }
}
