import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { build } from 'esbuild';
import { z } from 'zod';
import { instanceProfileSchema } from '../../core/profiles.ts';
import { ISOLATION_NEEDS, type CheckDefinition, type Isolation } from '../../graders/check.ts';
import { areaSchema, tierSchema } from '../../core/report.ts';
import { UsageError, errorMessage } from '../../core/errors.ts';
import type { Assignment } from './load-assignment.ts';

/** What a custom check must export: the same shape as a built-in check. */
const customCheckSchema = z.object({
  id: z.string().regex(/^[a-z0-9_.-]+$/, 'lower-case letters, digits, _ . -'),
  area: areaSchema,
  tier: tierSchema,
  title: z.string().min(1),
  points: z.number().nonnegative(),
  standard: z.string().min(1),
  accepted: z.string().min(1),
  instance: instanceProfileSchema,
  // The long form says what the check needs and why; 'shared' and 'fresh' are the short
  // forms of 'nothing' and 'process'. Left out, the check gets its own instance: a check
  // the harness knows nothing about must not be able to skew another's verdict.
  isolation: z
    .union([
      z.strictObject({ need: z.enum(ISOLATION_NEEDS), why: z.string().min(1, 'say in one line why the check needs this') }),
      z.enum(['shared', 'fresh']),
    ])
    .default({ need: 'process', why: 'declares no isolation, so it runs on an instance of its own' })
    .transform((value): Isolation =>
      value === 'shared' ? { need: 'nothing', why: "declared 'shared' by the assignment" } : value === 'fresh' ? { need: 'process', why: "declared 'fresh' by the assignment" } : value,
    ),
  run: z.custom<CheckDefinition['run']>((value) => typeof value === 'function', 'expected a function'),
});

export interface CustomChecks {
  files: string[];
  checks: CheckDefinition[];
}

/**
 * The check compiled as the prober bundle compiles it (esbuild, one ES module), as a data:
 * URL. Importing the .ts file directly would depend on the nearest package.json: an
 * assignment kept outside a `"type": "module"` package would load as CommonJS and fail.
 */
async function compiledModuleUrl(file: string): Promise<string> {
  const result = await build({
    entryPoints: [file],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    write: false,
    logLevel: 'silent',
  }).catch((error: unknown) => {
    const first = (error as { errors?: Array<{ text: string }> }).errors?.[0]?.text;
    throw new Error(first ?? errorMessage(error));
  });
  const code = result.outputFiles[0]?.text ?? '';
  return `data:text/javascript;base64,${Buffer.from(code).toString('base64')}`;
}

/**
 * An assignment's own checks: every export of `checks/*.ts` shaped like a check. The
 * harness imports them only to read their metadata; they run in the prober, bundled with
 * the built-in ones. Ids may not shadow built-in checks.
 */
export async function loadCustomChecks(assignment: Assignment, builtinIds: ReadonlySet<string>): Promise<CustomChecks> {
  const dir = path.join(assignment.dir, 'checks');
  const files = (await readdir(dir).catch(() => [] as string[]))
    .filter((name) => name.endsWith('.ts') && !name.endsWith('.test.ts') && !name.endsWith('.d.ts'))
    .sort()
    .map((name) => path.join(dir, name));
  const checks: CheckDefinition[] = [];
  for (const file of files) {
    let module: Record<string, unknown>;
    try {
      module = (await import(await compiledModuleUrl(file))) as Record<string, unknown>;
    } catch (error) {
      throw new UsageError(`custom check ${file} does not load: ${errorMessage(error).split('\n')[0]}`);
    }
    const exported = Object.entries(module).filter(([, value]) => value && typeof value === 'object' && 'run' in value);
    if (exported.length === 0) throw new UsageError(`custom check ${file} exports no check (an object with id, area, tier, …, run)`);
    for (const [name, value] of exported) {
      const parsed = customCheckSchema.safeParse(value);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new UsageError(`custom check ${file} (export ${name}): ${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`);
      }
      const check = { ...(value as CheckDefinition), isolation: parsed.data.isolation };
      if (builtinIds.has(check.id) || checks.some((other) => other.id === check.id)) {
        throw new UsageError(`custom check ${file}: id "${check.id}" is already taken`);
      }
      checks.push(check);
    }
  }
  return { files, checks };
}
