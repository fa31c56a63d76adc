import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettingsSchema } from '../../../../core/load.ts';
import { measureLoad } from '../../../../graders/load/measure-load.ts';
import { ProbeClient } from '../../../../graders/http/probe-client.ts';

describe('the load probe against a loopback server', () => {
  let server: Server;
  let baseUrl: string;
  const keys = new Map<string, number>();

  beforeAll(async () => {
    server = createServer((req, res) => {
      const key = req.headers['x-api-key'];
      const name = typeof key === 'string' ? key : '(none)';
      keys.set(name, (keys.get(name) ?? 0) + 1);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"data":[]}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const settings = (identities: { header: string | null; count: number }) =>
    loadSettingsSchema.parse({ path: '/items', connections: 4, durationS: 0.5, warmupS: 0, runs: 1, minRuns: 1, seedCount: 0, timeoutS: 5, identities });

  it('gives each connection its own identity header value, so no one identity carries all the traffic', async () => {
    keys.clear();
    const measured = await measureLoad(baseUrl, settings({ header: 'X-API-Key', count: 4 }), async () => 0, new ProbeClient(baseUrl), 'n1');
    expect(measured.runs).toHaveLength(1);
    expect(measured.calibration?.beforeMs).toBeGreaterThan(0);
    expect(measured.calibration?.drift).toBeGreaterThanOrEqual(1);
    expect([...keys.keys()].sort()).toEqual(['tg-load-n1-0', 'tg-load-n1-1', 'tg-load-n1-2', 'tg-load-n1-3']);
    const counts = [...keys.values()];
    // Closed loop: each connection sends about as much as the others.
    expect(Math.min(...counts) * 3).toBeGreaterThan(Math.max(...counts));
  });

  it('sends no identity header when identity is the client address', async () => {
    keys.clear();
    await measureLoad(baseUrl, settings({ header: null, count: 1 }), async () => 0, new ProbeClient(baseUrl), 'n2');
    // (The first test's last requests may still land after it ends: only this run's nonce counts.)
    expect([...keys.keys()].filter((key) => key.startsWith('tg-load-n2'))).toEqual([]);
    expect(keys.get('(none)')).toBeGreaterThan(10);
  });
});
