import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const ENTRY = path.join(path.dirname(fileURLToPath(import.meta.url)), 'main.ts');
let cached: Promise<string> | undefined;

/**
 * The prober script: the checks and their dependencies in one ES module, copied into the
 * prober container per run. Built from source on first use so it can never be stale.
 */
export function proberBundle(): Promise<string> {
  cached ??= build({
    entryPoints: [ENTRY],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    legalComments: 'none',
    // CommonJS dependencies (autocannon) require Node built-ins at run time.
    banner: { js: "import { createRequire as __tgCreateRequire } from 'node:module'; const require = __tgCreateRequire(import.meta.url);" },
    logLevel: 'silent',
  }).then((result) => {
    const file = result.outputFiles[0];
    if (!file) throw new Error('esbuild produced no prober bundle');
    return file.text;
  });
  return cached;
}
