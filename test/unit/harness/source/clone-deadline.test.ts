import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { safeGit } from '../../../../harness/source/resolve-source.ts';

describe('a clone has a deadline for the whole operation', () => {
  it('gives up on a server that trickles a byte at a time, which the silence timeout never catches', async () => {
    // A tar pit: a valid start of the ref advertisement, one byte every 200 ms (the whole
    // answer would take minutes), so git keeps waiting and never sees a protocol error.
    const advertisement = '001e# service=git-upload-pack\n0000';
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/x-git-upload-pack-advertisement' });
      let sent = 0;
      const timer = setInterval(() => {
        if (sent < advertisement.length) res.write(advertisement[sent++] ?? '');
      }, 200);
      res.on('close', () => clearInterval(timer));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/repo.git`;
    const dir = path.join(await mkdtemp(path.join(tmpdir(), 'tg-pit-')), 'repo');
    const started = performance.now();
    try {
      await expect(safeGit(undefined, 60_000, AbortSignal.timeout(2_000)).clone(url, dir, ['--depth=1'])).rejects.toThrow();
      expect(performance.now() - started).toBeLessThan(10_000);
    } finally {
      server.closeAllConnections();
      server.close();
    }
  }, 20_000);
});
