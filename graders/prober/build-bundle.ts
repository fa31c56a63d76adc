import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const cache = new Map<string, Promise<string>>();

/**
 * The prober script: the checks and their dependencies in one ES module, copied into the
 * prober container per run. Built from source on first use so it can never be stale.
 * `customCheckFiles` (an assignment's checks/*.ts) are bundled in and handed to the prober
 * beside the built-in catalogue; they never reach the candidate's container.
 */
export function proberBundle(customCheckFiles: readonly string[] = []): Promise<string> {
  const key = customCheckFiles.join('\n');
  let bundle = cache.get(key);
  if (!bundle) {
    const imports = customCheckFiles.map((file, index) => `import * as custom${index} from ${JSON.stringify(file)};`).join('\n');
    const extras = customCheckFiles.map((_, index) => `...Object.values(custom${index})`).join(', ');
    const entry =
      customCheckFiles.length === 0
        ? { entryPoints: [path.join(HERE, 'entry.ts')] }
        : {
            stdin: {
              contents: `import { runProber } from ${JSON.stringify(path.join(HERE, 'main.ts'))};\n${imports}\nrunProber([${extras}].filter((value) => value && typeof value === 'object' && typeof value.run === 'function'));\n`,
              resolveDir: HERE,
              sourcefile: 'prober-entry.ts',
              loader: 'ts' as const,
            },
          };
    bundle = build({
      ...entry,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      write: false,
      legalComments: 'none',
      logLevel: 'silent',
      // CommonJS dependencies (autocannon) require Node built-ins at run time.
      banner: { js: "import { createRequire as __tgCreateRequire } from 'node:module'; const require = __tgCreateRequire(import.meta.url);" },
    }).then((result) => {
      const file = result.outputFiles[0];
      if (!file) throw new Error('esbuild produced no prober bundle');
      return file.text;
    });
    cache.set(key, bundle);
  }
  return bundle;
}
