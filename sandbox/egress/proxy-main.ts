import { PROXY_READY, startEgressProxy } from './proxy-server.ts';

/**
 * The proxy container's entry (bundled by proxy-bundle.ts): the allowlist comes as JSON
 * in EGRESS_ALLOW; every refused attempt is one JSON line on stdout (the harness reads
 * that stream as the log); the ready line and any trouble go to stderr.
 */
const parsed: unknown = JSON.parse(process.env.EGRESS_ALLOW ?? '[]');
if (!Array.isArray(parsed) || !parsed.every((entry) => typeof entry === 'string')) {
  process.stderr.write('egress proxy: EGRESS_ALLOW must be a JSON array of "host:port" strings\n');
  process.exit(2);
}

startEgressProxy({
  allow: parsed,
  listenHost: '0.0.0.0',
  httpPort: Number(process.env.EGRESS_HTTP_PORT ?? 3128),
  dnsPort: Number(process.env.EGRESS_DNS_PORT ?? 53),
  onDenied: (attempt) => process.stdout.write(`${JSON.stringify(attempt)}\n`),
}).then(
  (proxy) => process.stderr.write(`${PROXY_READY} http:${proxy.httpPort} dns:${proxy.dnsPort}\n`),
  (error: unknown) => {
    process.stderr.write(`egress proxy: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
