import { describe, expect, it } from 'vitest';
import { ProbeClient } from '../../../../graders/http/probe-client.ts';
import { withServer } from '../../../support/fake-server.ts';

describe('ProbeClient', () => {
  it('records request and response as evidence, control characters stripped', async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        res.end('hello \u001b[2Jworld');
      },
      async (base) => {
        const client = new ProbeClient(base);
        const result = await client.send({ method: 'GET', path: '/x', note: 'why' });
        expect(result.ok && result.status).toBe(200);
        const [entry] = client.evidence;
        expect(entry?.request).toMatchObject({ method: 'GET', path: '/x' });
        expect(entry?.note).toBe('why');
        expect(entry?.response?.body).toBe('hello world');
      },
    );
  });

  it('stops reading past the body cap and says so', async () => {
    await withServer(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/octet-stream' });
        const chunk = Buffer.alloc(64 * 1024, 97);
        let sent = 0;
        const pump = () => {
          while (sent < 200 && res.write(chunk)) sent += 1;
          if (sent < 200) res.once('drain', pump);
          else res.end();
        };
        pump();
      },
      async (base) => {
        const client = new ProbeClient(base, { maxBodyBytes: 100_000, evidenceBodyChars: 50 });
        const result = await client.send({ method: 'GET', path: '/big' });
        expect(result.ok).toBe(true);
        if (!result.ok) return;
        expect(result.truncated).toBe(true);
        expect(result.body.length).toBe(100_000);
        expect(client.evidence[0]?.response?.bodyTruncated).toBe(true);
        expect(client.evidence[0]?.response?.body.length).toBeLessThan(100);
      },
    );
  });

  it('a hung server is a timeout, not a hang', async () => {
    await withServer(
      () => undefined,
      async (base) => {
        const client = new ProbeClient(base, { timeoutMs: 300 });
        const result = await client.send({ method: 'GET', path: '/hang' });
        expect(result.ok).toBe(false);
        if (!result.ok) expect(result.error).toMatch(/^timeout/);
        expect(client.evidence[0]?.error).toMatch(/^timeout/);
      },
    );
  });

  it('a server that does not speak HTTP is a failed exchange, not a crash', async () => {
    const net = await import('node:net');
    const server = net.createServer((socket) => socket.end('SSH-2.0-OpenSSH_9.0\r\n\u001b[2J'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as import('node:net').AddressInfo).port;
      const result = await new ProbeClient(`http://127.0.0.1:${port}`).send({ method: 'GET', path: '/' });
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error).toMatch(/garbage|HPE_|reset|Parse Error/);
    } finally {
      server.close();
    }
  });

  it('nothing listening is "refused"', async () => {
    const client = new ProbeClient('http://127.0.0.1:1');
    const result = await client.send({ method: 'GET', path: '/' });
    expect(!result.ok && result.error).toMatch(/^refused/);
  });

  it('does not decompress: gzip bytes stay gzip bytes', async () => {
    const { gzipSync } = await import('node:zlib');
    await withServer(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
        res.end(gzipSync('{"a":1}'));
      },
      async (base) => {
        const result = await new ProbeClient(base).send({ method: 'GET', path: '/' });
        expect(result.ok && result.json()).toBeUndefined();
      },
    );
  });

  it('caps how many exchanges it keeps and counts the rest', async () => {
    await withServer(
      (_req, res) => res.end('ok'),
      async (base) => {
        const client = new ProbeClient(base, { maxEvidence: 3 });
        for (let i = 0; i < 5; i += 1) await client.send({ method: 'GET', path: `/${i}` });
        expect(client.evidence).toHaveLength(3);
        expect(client.evidenceOmitted).toBe(2);
      },
    );
  });
});
