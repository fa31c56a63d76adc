import { createSocket } from 'node:dgram';
import { createServer, request, type Server } from 'node:http';
import { connect, createServer as createTcpServer, type AddressInfo, type Server as TcpServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowKey, parseDnsQuery, startEgressProxy, type DeniedAttempt, type RunningEgressProxy } from '../../../../sandbox/egress/proxy-server.ts';

/** Everything on loopback: an upstream web server, a TCP echo server, and the proxy between. */
let web: Server;
let echo: TcpServer;
let proxy: RunningEgressProxy;
const denied: DeniedAttempt[] = [];
let webPort = 0;
let echoPort = 0;

beforeAll(async () => {
  web = createServer((req, res) => res.end(`upstream saw ${req.method} ${req.url} host=${req.headers.host} proxy-auth=${req.headers['proxy-authorization'] ?? 'none'}`));
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  webPort = (web.address() as AddressInfo).port;
  echo = createTcpServer((socket) => socket.pipe(socket));
  await new Promise<void>((resolve) => echo.listen(0, '127.0.0.1', resolve));
  echoPort = (echo.address() as AddressInfo).port;
  proxy = await startEgressProxy({
    allow: [`127.0.0.1:${webPort}`, `127.0.0.1:${echoPort}`, 'registry.npmjs.org'],
    listenHost: '127.0.0.1',
    httpPort: 0,
    dnsPort: 0,
    onDenied: (attempt) => denied.push(attempt),
  });
});

afterAll(async () => {
  await proxy.close();
  await new Promise((resolve) => web.close(resolve));
  await new Promise((resolve) => echo.close(resolve));
});

/** Sends raw bytes to the proxy and collects what comes back until it closes or `until` matches. */
function raw(bytes: string, until?: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(proxy.httpPort, '127.0.0.1');
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
      if (until?.test(text)) {
        socket.destroy();
        resolve(text);
      }
    });
    socket.on('end', () => resolve(text));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
    socket.write(bytes);
  });
}

function lastDenied(): DeniedAttempt | undefined {
  return denied[denied.length - 1];
}

describe('the egress proxy (loopback)', () => {
  it('tunnels a CONNECT to an allowlisted host:port, bytes both ways', async () => {
    const text = await raw(`CONNECT 127.0.0.1:${echoPort} HTTP/1.1\r\nHost: 127.0.0.1:${echoPort}\r\n\r\nhello through the tunnel`, /hello through the tunnel/);
    expect(text).toMatch(/^HTTP\/1\.1 200 Connection Established\r\n\r\nhello through the tunnel/);
  });

  it('refuses a CONNECT elsewhere with 403 and logs host, port, time and kind', async () => {
    const before = Date.now();
    const text = await raw('CONNECT exfil.invalid:443 HTTP/1.1\r\nHost: exfil.invalid:443\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 403 Forbidden/);
    expect(lastDenied()).toEqual({ host: 'exfil.invalid', port: 443, at: expect.any(Number), kind: 'connect' });
    expect(lastDenied()?.at).toBeGreaterThanOrEqual(before);
  });

  it('allows a host on another port only when that port is listed (a bare host means 443)', async () => {
    expect(allowKey('registry.npmjs.org')).toBe('registry.npmjs.org:443');
    expect(allowKey('Registry.NPMJS.org.:80')).toBe('registry.npmjs.org:80');
    expect(allowKey('[::1]:8080')).toBe('::1:8080');
    expect(allowKey('bad host')).toBeNull();
    expect(allowKey('host:70000')).toBeNull();
    const text = await raw('CONNECT registry.npmjs.org:22 HTTP/1.1\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 403/);
    expect(lastDenied()).toMatchObject({ host: 'registry.npmjs.org', port: 22, kind: 'connect' });
  });

  it('forwards a plain-http absolute-URI request to an allowlisted host, without the proxy credentials', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      const req = request({ host: '127.0.0.1', port: proxy.httpPort, path: `http://127.0.0.1:${webPort}/pkg?x=1`, headers: { host: `127.0.0.1:${webPort}`, 'proxy-authorization': 'Basic c2VjcmV0' } }, (res) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => resolve(`${res.statusCode} ${text}`));
      });
      req.on('error', reject);
      req.end();
    });
    expect(body).toBe(`200 upstream saw GET /pkg?x=1 host=127.0.0.1:${webPort} proxy-auth=none`);
  });

  it('refuses a plain-http request elsewhere with 403 and logs it as kind http (port 80 by default)', async () => {
    const text = await raw('GET http://evil.example/steal HTTP/1.1\r\nHost: evil.example\r\n\r\n', /egress proxy/);
    expect(text).toMatch(/^HTTP\/1\.1 403/);
    expect(lastDenied()).toMatchObject({ host: 'evil.example', port: 80, kind: 'http' });
  });

  it('answers malformed requests with 400 and logs nothing (no host was asked for)', async () => {
    const count = denied.length;
    expect(await raw('GET /relative HTTP/1.1\r\nHost: x\r\n\r\n', /expected an absolute/)).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw('GET ftp://files.example/x HTTP/1.1\r\nHost: x\r\n\r\n', /only http/)).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw('CONNECT no-port-here HTTP/1.1\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw('CONNECT a b c d\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(await raw('\u0000\u0001garbage\r\n\r\n')).toMatch(/^HTTP\/1\.1 400/);
    expect(denied.length).toBe(count);
  });

  it('keeps checking every request of a kept-alive connection', async () => {
    const text = await raw(`GET http://127.0.0.1:${webPort}/a HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\nGET http://other.invalid/b HTTP/1.1\r\nHost: other.invalid\r\n\r\n`, /not on the allowlist/);
    expect(text).toContain('upstream saw GET /a');
    expect(text).toMatch(/403 Forbidden/);
    expect(lastDenied()).toMatchObject({ host: 'other.invalid', port: 80, kind: 'http' });
  });

  it('answers every DNS query NXDOMAIN and logs a name off the allowlist once per lookup', async () => {
    const query = (name: string, id: number) => {
      const labels = name.split('.').flatMap((label) => [Buffer.from([label.length]), Buffer.from(label)]);
      return Buffer.concat([Buffer.from([id >> 8, id & 0xff, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]), ...labels, Buffer.from([0, 0, 1, 0, 1])]);
    };
    expect(parseDnsQuery(query('a.b.example', 7))).toEqual({ name: 'a.b.example', end: query('a.b.example', 7).length });
    expect(parseDnsQuery(Buffer.from('short'))).toBeNull();
    const ask = (message: Buffer) =>
      new Promise<Buffer>((resolve, reject) => {
        const socket = createSocket('udp4');
        socket.on('message', (answer) => {
          socket.close();
          resolve(answer);
        });
        socket.on('error', reject);
        socket.send(message, proxy.dnsPort ?? 0, '127.0.0.1');
      });
    const count = denied.length;
    const answer = await ask(query('leak.secret.example', 0x1234));
    expect(answer.readUInt16BE(0)).toBe(0x1234);
    expect(answer.readUInt16BE(2) & 0x8000).toBe(0x8000);
    expect(answer.readUInt16BE(2) & 0x000f).toBe(3);
    await ask(query('leak.secret.example', 0x1235));
    // The allowlist's names are no attempt to get out: answered the same, not logged.
    await ask(query('registry.npmjs.org', 0x1236));
    expect(denied.slice(count)).toEqual([{ host: 'leak.secret.example', port: 53, at: expect.any(Number), kind: 'dns' }]);
    // A broken query gets FORMERR, not silence.
    const broken = Buffer.from([0xab, 0xcd, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 70]);
    expect((await ask(broken)).readUInt16BE(2) & 0x000f).toBe(1);
  });

  it('refuses to start on a malformed allowlist entry', () => {
    expect(() => startEgressProxy({ allow: ['not a host'], listenHost: '127.0.0.1', httpPort: 0, dnsPort: null, onDenied: () => undefined })).toThrow(/not host or host:port/);
  });
});
