import path from 'node:path';
import { jsonSchemaText } from '../../core/json-schema-text.ts';
import { BUILTIN_ASSIGNMENTS_DIR } from '../paths.ts';
import { manifestSchema } from '../../core/manifest.ts';

export const MANIFEST_JSON_SCHEMA_PATH = path.join(BUILTIN_ASSIGNMENTS_DIR, 'assignment.schema.json');

/** JSON Schema of assignment.yaml as authors write it (defaults make most fields optional). */
export function manifestJsonSchema(): string {
  return jsonSchemaText(manifestSchema, 'assignment.schema.json', 'takehome-grader assignment manifest', 'input');
}
