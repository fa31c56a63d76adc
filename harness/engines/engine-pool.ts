import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { z } from 'zod';
import { UsageError, formatZodIssues } from '../../core/errors.ts';

const tlsSchema = z.strictObject({
  ca: z.string().min(1),
  cert: z.string().min(1),
  key: z.string().min(1),
});

export const engineSchema = z.strictObject({
  /** Names the engine in status, logs and its load-probe lock. */
  name: z.string().regex(/^[a-z0-9][a-z0-9_.-]{0,39}$/, 'lower-case letters, digits and ._- (at most 40)'),
  /** A DOCKER_HOST value. */
  host: z.string().regex(/^(unix|tcp|ssh):\/\/\S+$/, 'a DOCKER_HOST value: unix:///path, tcp://host:port or ssh://user@host'),
  /** Certificate paths for tcp:// with TLS (relative to the pool file). */
  tls: tlsSchema.optional(),
  /** Gradings at once on this engine. */
  slots: z.number().int().min(1).max(64),
  /**
   * Whose CPUs a load probe must have alone: 'machine' (the default for unix://, an engine
   * on this host) shares the lock of every grading on this machine; 'engine' (the default
   * for tcp:// and ssh://) has a lock of its own.
   */
  loadLock: z.enum(['machine', 'engine']).optional(),
});
export type EngineConfig = z.infer<typeof engineSchema>;

export const enginePoolSchema = z
  .strictObject({ engines: z.array(engineSchema).min(1, 'list at least one engine') })
  .superRefine((pool, ctx) => {
    const seen = new Set<string>();
    pool.engines.forEach((engine, index) => {
      if (seen.has(engine.name)) ctx.addIssue({ code: 'custom', path: ['engines', index, 'name'], message: `"${engine.name}" is listed twice` });
      seen.add(engine.name);
    });
  });
export type EnginePool = z.infer<typeof enginePoolSchema>;

/** The engine's load-probe lock scope for withEngineScope, or null for the machine's own lock. */
export function loadLockScope(engine: EngineConfig): string | null {
  const scope = engine.loadLock ?? (engine.host.startsWith('unix://') ? 'machine' : 'engine');
  return scope === 'machine' ? null : engine.name;
}

/** Parses a pool file's text (YAML, of which JSON is a subset); every mistake is one UsageError line. */
export function parseEnginePool(text: string, file: string): EnginePool {
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 50 });
  } catch (error) {
    const detail = error instanceof YAMLParseError ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`${file}: not valid YAML or JSON: ${detail}`);
  }
  const parsed = enginePoolSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new UsageError(formatZodIssues(parsed.error, file));
  // Certificate paths are read relative to the pool file, like a roster's sources.
  const base = path.dirname(path.resolve(file));
  return {
    engines: parsed.data.engines.map((engine) =>
      engine.tls ? { ...engine, tls: { ca: path.resolve(base, engine.tls.ca), cert: path.resolve(base, engine.tls.cert), key: path.resolve(base, engine.tls.key) } } : engine,
    ),
  };
}

/** `--engines <file>`: engines with names, DOCKER_HOST values and slots. */
export async function readEnginePool(file: string): Promise<EnginePool> {
  const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => {
    throw new UsageError(`cannot read engine pool ${file}: ${error.code ?? error.message}`);
  });
  return parseEnginePool(text, file);
}
