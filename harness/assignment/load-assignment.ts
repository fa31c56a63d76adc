import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { parse as parseYaml, YAMLParseError } from 'yaml';
import { UsageError, formatZodIssues } from '../../core/errors.ts';
import { BUILTIN_ASSIGNMENTS_DIR, DEFAULT_ASSIGNMENT } from '../paths.ts';
import { manifestSchema, type Manifest } from '../../core/manifest.ts';

export interface Assignment {
  manifest: Manifest;
  /** Folder holding assignment.yaml, brief, reference and mutants. */
  dir: string;
  manifestPath: string;
}

/** Accepts a built-in id, a folder holding `assignment.yaml`, or the yaml file itself. */
export async function loadAssignment(spec: string = DEFAULT_ASSIGNMENT): Promise<Assignment> {
  const manifestPath = await locateManifest(spec);
  let text: string;
  try {
    text = await readFile(manifestPath, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read assignment manifest ${manifestPath}: ${(error as NodeJS.ErrnoException).code ?? error}`);
  }
  let raw: unknown;
  try {
    raw = parseYaml(text, { maxAliasCount: 50 });
  } catch (error) {
    const detail = error instanceof YAMLParseError ? error.message.split('\n')[0] : String(error);
    throw new UsageError(`${manifestPath}: not valid YAML: ${detail}`);
  }
  const parsed = manifestSchema.safeParse(raw, { reportInput: true });
  if (!parsed.success) throw new UsageError(formatZodIssues(parsed.error, manifestPath));
  return { manifest: parsed.data, dir: path.dirname(manifestPath), manifestPath };
}

async function locateManifest(spec: string): Promise<string> {
  const looksLikePath = spec.includes('/') || spec.includes(path.sep) || spec.endsWith('.yaml') || spec.endsWith('.yml');
  const candidate = looksLikePath ? path.resolve(spec) : path.join(BUILTIN_ASSIGNMENTS_DIR, spec);
  const info = await stat(candidate).catch(() => null);
  if (info?.isFile()) return candidate;
  if (info?.isDirectory()) return path.join(candidate, 'assignment.yaml');
  // Not a built-in id, but a folder of that name here: the author meant ./<spec>.
  if (!looksLikePath && (await stat(path.resolve(spec, 'assignment.yaml')).catch(() => null))?.isFile()) return path.resolve(spec, 'assignment.yaml');
  throw new UsageError(
    looksLikePath
      ? `assignment not found: ${spec}`
      : `unknown assignment "${spec}" (built-in assignments live in ${BUILTIN_ASSIGNMENTS_DIR})`,
  );
}
