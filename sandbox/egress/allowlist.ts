import { allowKey } from './proxy-server.ts';

/**
 * What install and build may reach through the egress proxy when neither the assignment
 * nor the grader adds anything: the registries of the supported toolchains, https only
 * (every one of them serves https; plain http would only invite a downgrade).
 */
export const DEFAULT_EGRESS_ALLOW: readonly string[] = [
  // npm, pnpm, Yarn
  'registry.npmjs.org:443',
  'registry.yarnpkg.com:443',
  'repo.yarnpkg.com:443',
  // pip
  'pypi.org:443',
  'files.pythonhosted.org:443',
  // Go modules and the checksum database; the proxy redirects some downloads to storage.
  'proxy.golang.org:443',
  'sum.golang.org:443',
  'storage.googleapis.com:443',
  // Maven Central
  'repo.maven.apache.org:443',
  'repo1.maven.org:443',
  // Cargo
  'crates.io:443',
  'static.crates.io:443',
  'index.crates.io:443',
];

/** Extra entries for every grading, comma-separated (a registry mirror the grader uses). */
export const EGRESS_ALLOW_ENV = 'GRADER_EGRESS_ALLOW';
/** `open`: install and build get the engine's default network, as before the proxy existed. */
export const EGRESS_MODE_ENV = 'GRADER_EGRESS';

export type EgressMode = 'proxy' | 'open';

/** The allowlist of one grading: the defaults, the grader's, the assignment's; malformed entries are an error. */
export function egressAllowlist(assignment: readonly string[], env: NodeJS.ProcessEnv = process.env): string[] {
  const fromEnv = (env[EGRESS_ALLOW_ENV] ?? '').split(',').map((entry) => entry.trim()).filter((entry) => entry !== '');
  const keys = new Set<string>();
  for (const entry of [...DEFAULT_EGRESS_ALLOW, ...fromEnv, ...assignment]) {
    const key = allowKey(entry);
    if (key === null) throw new Error(`egress allowlist: "${entry}" is not host or host:port`);
    keys.add(key);
  }
  return [...keys];
}

/** Whether install and build go through the proxy (the default) or get the open network. */
export function egressMode(env: NodeJS.ProcessEnv = process.env): EgressMode {
  const value = (env[EGRESS_MODE_ENV] ?? 'proxy').trim().toLowerCase();
  if (value === 'proxy' || value === '') return 'proxy';
  if (value === 'open') return 'open';
  throw new Error(`${EGRESS_MODE_ENV} must be "proxy" or "open", not "${value}"`);
}

/**
 * host:port of every http(s) URL among these values: a registry mirror the grader passes to
 * the toolchain (Toolchain.hostEnv, e.g. npm_config_registry) is reachable without also
 * having to be listed in GRADER_EGRESS_ALLOW.
 */
export function urlHosts(values: ReadonlyArray<string | undefined>): string[] {
  const hosts: string[] = [];
  for (const value of values) {
    if (!value) continue;
    try {
      const url = new URL(value);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') continue;
      hosts.push(`${url.hostname}:${url.port || (url.protocol === 'https:' ? 443 : 80)}`);
    } catch {
      // Not a URL (a signature policy, a key list): nothing to reach.
    }
  }
  return hosts;
}
