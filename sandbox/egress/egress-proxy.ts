import { Writable } from 'node:stream';
import { z } from 'zod';
import { CappedOutput } from '../container/capped-output.ts';
import { egressProxySpec } from '../container/container-specs.ts';
import { ManagedContainer } from '../container/managed-container.ts';
import { jobLabels } from '../labels.ts';
import type { NetworkSpec, SandboxRuntime } from '../runtime/sandbox-runtime.ts';
import { proxyBundle } from './proxy-bundle.ts';
import { proxyEnv } from './proxy-env.ts';
import { PROXY_READY, type DeniedAttempt } from './proxy-server.ts';

const HTTP_PORT = 3128;
const READY_DEADLINE_MS = 30_000;
/** Lines kept between two reads: a submission that tries a million hosts costs a bounded amount. */
const MAX_KEPT = 1000;
/**
 * How long after a step ends the proxy's last lines may still be on their way through the
 * engine's attach stream; reading stops once it has been quiet this long.
 */
const SETTLE_MS = 300;

const deniedSchema = z.object({
  host: z.string().max(300),
  port: z.number().int(),
  at: z.number(),
  kind: z.enum(['connect', 'http', 'dns']),
});

/** What the job hands install and build steps: where they are attached and their env. */
export interface EgressRoute {
  network: NetworkSpec;
  env: Record<string, string>;
}

/** The proxy's stdout, one JSON line per refused attempt, parsed as it comes (zod: it is a container's output). */
class DeniedLog extends Writable {
  private pending = '';
  private attempts: DeniedAttempt[] = [];
  dropped = 0;
  lastWriteAt = 0;

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.lastWriteAt = performance.now();
    this.pending += chunk.toString('utf8');
    let newline = this.pending.indexOf('\n');
    while (newline >= 0) {
      this.add(this.pending.slice(0, newline));
      this.pending = this.pending.slice(newline + 1);
      newline = this.pending.indexOf('\n');
    }
    if (this.pending.length > 4096) this.pending = '';
    callback();
  }

  private add(line: string): void {
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return;
    }
    const parsed = deniedSchema.safeParse(value);
    if (!parsed.success) return;
    if (this.attempts.length >= MAX_KEPT) this.dropped += 1;
    else this.attempts.push(parsed.data);
  }

  take(): { attempts: DeniedAttempt[]; dropped: number } {
    const taken = { attempts: this.attempts, dropped: this.dropped };
    this.attempts = [];
    this.dropped = 0;
    return taken;
  }
}

/**
 * One job's egress proxy: an internal network of its own (no route out), and the proxy
 * container of the helper image on it and on the default bridge. Install and build steps
 * join only the internal network, with the proxy as their HTTP(S) proxy and DNS server.
 */
export class EgressProxy {
  private constructor(
    private readonly container: ManagedContainer,
    private readonly log: DeniedLog,
    readonly route: EgressRoute,
    readonly allow: readonly string[],
  ) {}

  /**
   * `track` is the job's: creations under way are waited for by its dispose, and the
   * network and container carry the job's labels, so the job's clean-up (and the reaper,
   * after a crash) removes them.
   */
  static async start(
    runtime: SandboxRuntime,
    options: { jobId: string; helperImage: string; ttlMs: number; allow: readonly string[]; name: (role: string) => string },
    track: <T>(creation: () => Promise<T>) => Promise<T>,
  ): Promise<EgressProxy> {
    const network = options.name('egress');
    await track(() => runtime.createNetwork({ name: network, labels: jobLabels(options.jobId, 'egress-network', options.ttlMs), internal: true }));
    const log = new DeniedLog();
    const stderr = new CappedOutput(4096, 4096);
    const script = await proxyBundle();
    const container = await track(() =>
      ManagedContainer.create(
        runtime,
        egressProxySpec({ jobId: options.jobId, image: options.helperImage, name: options.name('egress-proxy'), ttlMs: options.ttlMs, script, allow: options.allow, httpPort: HTTP_PORT }),
        { stdout: log, stderr },
      ),
    );
    await runtime.connectNetwork(container.id, network);
    await container.start();
    const deadline = performance.now() + READY_DEADLINE_MS;
    let exited = false;
    void container.exited().then(() => {
      exited = true;
    });
    while (!stderr.headText().includes(PROXY_READY)) {
      if (exited || performance.now() > deadline) {
        throw new Error(`the egress proxy did not start${exited ? '' : ' (timed out)'}: ${stderr.text().slice(-300)}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const address = await runtime.networkAddress(container.id, network);
    if (!address) throw new Error(`the egress proxy has no address on ${network}`);
    const url = `http://${address}:${HTTP_PORT}`;
    return new EgressProxy(container, log, { network: { mode: 'proxied', network, dns: [address] }, env: proxyEnv(url) }, options.allow);
  }

  /** The attempts refused since the last call, once the proxy's output has settled. */
  async takeDenied(): Promise<{ attempts: DeniedAttempt[]; dropped: number }> {
    const deadline = performance.now() + 5 * SETTLE_MS;
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    while (performance.now() - this.log.lastWriteAt < SETTLE_MS && performance.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return this.log.take();
  }

  /** Whether the proxy still runs (a step's failure may be its). */
  async running(): Promise<boolean> {
    return (await this.container.state()).running;
  }
}
