import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const HERE = path.dirname(fileURLToPath(import.meta.url));
let bundle: Promise<string> | null = null;

/**
 * The proxy's entry and server in one ES module (Node built-ins only), passed to `node -e`
 * in the helper image. Built from source on first use, like the prober bundle, so it can
 * never be stale.
 */
export function proxyBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [path.join(HERE, 'proxy-main.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    legalComments: 'none',
    logLevel: 'silent',
  }).then((result) => {
    const file = result.outputFiles[0];
    if (!file) throw new Error('esbuild produced no egress proxy bundle');
    return file.text;
  });
  bundle.catch(() => {
    bundle = null;
  });
  return bundle;
}
