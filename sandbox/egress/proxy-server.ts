import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/**
 * The install/build egress proxy: CONNECT tunnels (https) and absolute-URI requests
 * (plain http) to the allowlisted host:port pairs only, and a DNS answer of NXDOMAIN to
 * every query. It runs inside its own container (bundled by proxy-bundle.ts), so this file
 * imports nothing but Node's built-ins. TLS is never terminated: a CONNECT is a plain TCP
 * tunnel, so the proxy needs no CA bundle and sees no content.
 */

/** What the proxy container prints on stderr once it listens. */
export const PROXY_READY = 'takehome-grader: egress proxy ready';

export type DeniedKind = 'connect' | 'http' | 'dns';

/** One refused attempt, as one JSON line of the proxy's stdout. */
export interface DeniedAttempt {
  host: string;
  port: number;
  /** Epoch ms. */
  at: number;
  kind: DeniedKind;
}

export interface EgressProxyOptions {
  /** "host:port" pairs; a bare "host" means port 443. */
  allow: readonly string[];
  /** Address to listen on ('0.0.0.0' in the container, '127.0.0.1' in tests). */
  listenHost: string;
  httpPort: number;
  /** UDP port of the refusing DNS server; null: none. */
  dnsPort: number | null;
  onDenied: (attempt: DeniedAttempt) => void;
  /** How long an upstream connect may take before the client gets a 504. */
  connectTimeoutMs?: number;
}

export interface RunningEgressProxy {
  httpPort: number;
  dnsPort: number | null;
  close(): Promise<void>;
}

const NXDOMAIN = 3;
const FORMERR = 1;
/** Docker's embedded resolver asks A and AAAA and retries: one lookup, one line. */
const DNS_REPEAT_WINDOW_MS = 2000;

/** Lower-case, no trailing dot, no IPv6 brackets: the form allowlist entries are compared in. */
export function normalHost(host: string): string {
  return host.trim().toLowerCase().replace(/\.$/, '').replace(/^\[(.*)\]$/, '$1');
}

/** "host:port" (or "[v6]:port", or a bare host meaning 443) → a key; null when malformed. */
export function allowKey(entry: string): string | null {
  const match = /^(\[[^\]]+\]|[^:\s]+)(?::(\d{1,5}))?$/.exec(entry.trim());
  if (!match?.[1]) return null;
  const port = match[2] === undefined ? 443 : Number(match[2]);
  if (port < 1 || port > 65535) return null;
  return `${normalHost(match[1])}:${port}`;
}

/** "host:port" of a CONNECT request line; null when it is not one. */
function connectTarget(target: string): { host: string; port: number } | null {
  const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.\-_]+):(\d{1,5})$/.exec(target);
  if (!match?.[1] || !match[2]) return null;
  const port = Number(match[2]);
  if (port < 1 || port > 65535) return null;
  return { host: normalHost(match[1]), port };
}

export function startEgressProxy(options: EgressProxyOptions): Promise<RunningEgressProxy> {
  const allowed = new Set<string>();
  for (const entry of options.allow) {
    const key = allowKey(entry);
    if (key === null) throw new Error(`egress allowlist: "${entry}" is not host or host:port`);
    allowed.add(key);
  }
  const isAllowed = (host: string, port: number) => allowed.has(`${host}:${port}`);
  const allowedName = (name: string) => [...allowed].some((key) => key.slice(0, key.lastIndexOf(':')) === name);
  const deny = (host: string, port: number, kind: DeniedKind) => options.onDenied({ host, port, at: Date.now(), kind });
  const connectTimeoutMs = options.connectTimeoutMs ?? 15_000;
  const sockets = new Set<Socket | Duplex>();
  const track = (socket: Socket | Duplex) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  };

  const server: Server = createServer((req: IncomingMessage, res: ServerResponse) => {
    // Plain http through a proxy comes as an absolute URI; anything else is no proxy request.
    let url: URL;
    try {
      url = new URL(req.url ?? '');
    } catch {
      res.writeHead(400, { 'content-type': 'text/plain', connection: 'close' }).end('egress proxy: expected an absolute http:// URI\n');
      return;
    }
    if (url.protocol !== 'http:' || url.hostname === '') {
      res.writeHead(400, { 'content-type': 'text/plain', connection: 'close' }).end('egress proxy: only http:// URIs are forwarded (https goes through CONNECT)\n');
      return;
    }
    const host = normalHost(url.hostname);
    const port = url.port === '' ? 80 : Number(url.port);
    if (!isAllowed(host, port)) {
      deny(host, port, 'http');
      res.writeHead(403, { 'content-type': 'text/plain', connection: 'close' }).end(`egress proxy: ${host}:${port} is not on the allowlist\n`);
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    delete headers['proxy-authorization'];
    const upstream = httpRequest({ host, port, method: req.method, path: `${url.pathname}${url.search}`, headers, timeout: connectTimeoutMs }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('timeout', () => upstream.destroy(new Error('upstream timed out')));
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain', connection: 'close' }).end('egress proxy: upstream unreachable\n');
      else res.destroy();
    });
    req.pipe(upstream);
  });
  server.on('connection', track);
  server.on('clientError', (_error, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
    else socket.destroy();
  });

  server.on('connect', (req: IncomingMessage, client: Duplex, head: Buffer) => {
    track(client);
    client.on('error', () => client.destroy());
    const target = connectTarget(req.url ?? '');
    if (!target) {
      client.end('HTTP/1.1 400 Bad Request\r\nconnection: close\r\n\r\n');
      return;
    }
    if (!isAllowed(target.host, target.port)) {
      deny(target.host, target.port, 'connect');
      client.end(`HTTP/1.1 403 Forbidden\r\ncontent-type: text/plain\r\nconnection: close\r\n\r\negress proxy: ${target.host}:${target.port} is not on the allowlist\n`);
      return;
    }
    const upstream = connect({ host: target.host, port: target.port });
    track(upstream);
    const timer = setTimeout(() => upstream.destroy(new Error('connect timed out')), connectTimeoutMs);
    upstream.once('connect', () => {
      clearTimeout(timer);
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head.length > 0) upstream.write(head);
      upstream.pipe(client);
      client.pipe(upstream);
    });
    upstream.on('error', () => {
      clearTimeout(timer);
      if (upstream.connecting || upstream.bytesRead === 0) client.end('HTTP/1.1 504 Gateway Timeout\r\nconnection: close\r\n\r\n');
      else client.destroy();
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });

  let dns: UdpSocket | null = null;
  const recentDns = new Map<string, number>();
  if (options.dnsPort !== null) {
    dns = createSocket('udp4');
    dns.on('message', (message, remote) => {
      const query = parseDnsQuery(message);
      if (!query) {
        if (message.length >= 12) dns?.send(dnsAnswer(message.subarray(0, 12), FORMERR), remote.port, remote.address);
        return;
      }
      dns?.send(dnsAnswer(message.subarray(0, query.end), NXDOMAIN), remote.port, remote.address);
      // Names of the allowlist are answered the same (the proxy resolves them, not the
      // client) but are no attempt to get out.
      const name = normalHost(query.name);
      if (name === '' || allowedName(name)) return;
      const now = Date.now();
      const last = recentDns.get(name);
      recentDns.set(name, now);
      if (last !== undefined && now - last < DNS_REPEAT_WINDOW_MS) return;
      deny(name, 53, 'dns');
    });
  }

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.httpPort, options.listenHost, () => {
      const httpPort = (server.address() as AddressInfo).port;
      const done = (dnsPort: number | null) =>
        resolve({
          httpPort,
          dnsPort,
          close: async () => {
            for (const socket of sockets) socket.destroy();
            await new Promise<void>((closed) => server.close(() => closed()));
            if (dns) await new Promise<void>((closed) => dns?.close(() => closed()));
          },
        });
      if (!dns || options.dnsPort === null) {
        done(null);
        return;
      }
      dns.once('error', reject);
      dns.bind(options.dnsPort, options.listenHost, () => done(dns?.address().port ?? null));
    });
  });
}

/** The question's name and where the question section ends; null when it is no query. */
export function parseDnsQuery(message: Buffer): { name: string; end: number } | null {
  if (message.length < 12) return null;
  const flags = message.readUInt16BE(2);
  const questions = message.readUInt16BE(4);
  if ((flags & 0x8000) !== 0 || questions !== 1) return null;
  const labels: string[] = [];
  let offset = 12;
  for (;;) {
    const length = message[offset];
    if (length === undefined || length > 63) return null;
    offset += 1;
    if (length === 0) break;
    if (offset + length > message.length) return null;
    labels.push(message.subarray(offset, offset + length).toString('latin1'));
    offset += length;
    if (labels.length > 127) return null;
  }
  // QTYPE and QCLASS follow the name.
  if (offset + 4 > message.length) return null;
  return { name: labels.join('.'), end: offset + 4 };
}

/** The query echoed back as an answer with this response code and no records. */
function dnsAnswer(question: Buffer, rcode: number): Buffer {
  const out = Buffer.from(question);
  const recursionDesired = out.readUInt16BE(2) & 0x0100;
  // QR=1, opcode 0, RD echoed, RA=1, the rcode.
  out.writeUInt16BE(0x8000 | recursionDesired | 0x0080 | rcode, 2);
  out.writeUInt16BE(question.length > 12 ? 1 : 0, 4);
  out.writeUInt16BE(0, 6);
  out.writeUInt16BE(0, 8);
  out.writeUInt16BE(0, 10);
  return out;
}
