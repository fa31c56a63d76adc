import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { connectRuntime } from '../../sandbox/docker/docker-runtime.ts';
import { loadAssignment } from '../assignment/load-assignment.ts';
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { scaffoldAssignment } from '../assignment/scaffold-assignment.ts';
import { describeContract } from '../assignment/describe-contract.ts';
import { renderMatrix, validateAssignment } from '../assignment/validate-assignment.ts';
import { BUILTIN_ASSIGNMENTS_DIR } from '../paths.ts';
import { UsageError, formatZodIssues } from '../../core/errors.ts';
import { createLogger } from '../logger.ts';

const validateOptionsSchema = z.object({
  path: z.string().min(1),
  concurrency: z.coerce.number().int().min(1).max(16).default(3),
  set: z.array(z.string().regex(/^[A-Za-z][\w.]*=/, 'expected path=value, e.g. load.durationS=3')).default([]),
  only: z.string().optional(),
  isolation: z.enum(['by-need', 'all-fresh']).default('by-need'),
});

/** `load.durationS=3` → { load: { durationS: 3 } }; values are YAML, so numbers, booleans and lists keep their type. */
export function settingsPatch(settings: readonly string[]): Record<string, unknown> {
  const patch: Record<string, unknown> = {};
  for (const setting of settings) {
    const at = setting.indexOf('=');
    const keys = setting.slice(0, at).split('.');
    let node = patch;
    for (const key of keys.slice(0, -1)) {
      const next = node[key];
      node = (node[key] = next && typeof next === 'object' ? next : {}) as Record<string, unknown>;
    }
    node[keys[keys.length - 1] ?? ''] = parseYaml(setting.slice(at + 1)) as unknown;
  }
  return patch;
}

/** `grader assignment validate`: schema, then the reference/mutant/variant matrix. Exit 1 when the proof fails. */
export async function assignmentValidateCommand(raw: unknown): Promise<number> {
  const parsed = validateOptionsSchema.safeParse(raw);
  if (!parsed.success) throw new UsageError(formatZodIssues(parsed.error, 'assignment validate'));
  const assignment = await loadAssignment(parsed.data.path);
  const only = parsed.data.only?.split(',').map((id) => id.trim()).filter(Boolean);
  const rows = await validateAssignment(assignment, { runtime: connectRuntime(), logger: createLogger() }, {
    concurrency: parsed.data.concurrency,
    manifestPatch: settingsPatch(parsed.data.set),
    sharing: parsed.data.isolation,
    onStart: (patched, subjects) => {
      process.stderr.write(`${patched.manifest.id} v${patched.manifest.version}: manifest valid\n`);
      for (const line of describeContract(patched.manifest)) process.stderr.write(`  ${line}\n`);
      process.stderr.write(`grading ${subjects} subjects (reference, starter, mutants, variants)…\n`);
    },
    ...(only ? { onlyIds: only } : {}),
  });
  process.stdout.write(`${renderMatrix(rows)}\n`);
  const broken = rows.filter((row) => row.problems.length > 0);
  process.stdout.write(broken.length === 0 ? `proof holds: ${rows.length} subjects\n` : `proof fails for ${broken.map((row) => row.subject.id).join(', ')}\n`);
  return broken.length === 0 ? 0 : 1;
}

/** `grader assignment new <id>`: scaffolds a folder that validates as it is. */
export async function assignmentNewCommand(id: string, options: { dir?: string }): Promise<number> {
  const dir = await scaffoldAssignment(id, options.dir ?? '.');
  const { manifest } = await loadAssignment(dir);
  process.stdout.write(`created ${dir} (${manifest.id} v${manifest.version}); next: npx grader assignment validate ${dir}\n`);
  return 0;
}

/** `grader assignment list`: built-in assignments, and any under --dir, with versions. */
export async function assignmentListCommand(options: { dir?: string }): Promise<number> {
  const roots = [BUILTIN_ASSIGNMENTS_DIR, ...(options.dir ? [path.resolve(options.dir)] : [])];
  for (const root of roots) {
    for (const name of (await readdir(root).catch(() => [] as string[])).sort()) {
      const loaded = await loadAssignment(path.join(root, name)).catch(() => null);
      if (!loaded) continue;
      const where = root === BUILTIN_ASSIGNMENTS_DIR ? 'built-in' : loaded.dir;
      process.stdout.write(`${loaded.manifest.id.padEnd(28)} v${loaded.manifest.version.padEnd(10)} ${loaded.manifest.title} (${where})\n`);
    }
  }
  return 0;
}
