import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { BUILTIN_ASSIGNMENTS_DIR } from '../paths.ts';
import { manifestSchema } from './manifest-schema.ts';

export const MANIFEST_JSON_SCHEMA_PATH = path.join(BUILTIN_ASSIGNMENTS_DIR, 'assignment.schema.json');

/** JSON Schema of assignment.yaml as authors write it (defaults make most fields optional). */
export function manifestJsonSchema(): string {
  const schema = z.toJSONSchema(manifestSchema, { target: 'draft-2020-12', io: 'input' });
  return `${JSON.stringify({ $id: 'https://takehome-grader.dev/schema/assignment.schema.json', title: 'takehome-grader assignment manifest', ...schema }, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(MANIFEST_JSON_SCHEMA_PATH, manifestJsonSchema());
  process.stdout.write(`wrote ${MANIFEST_JSON_SCHEMA_PATH}\n`);
}
