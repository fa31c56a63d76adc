import path from 'node:path';
import { jsonSchemaText } from '../../core/json-schema-text.ts';
import { BUILTIN_ASSIGNMENTS_DIR } from '../paths.ts';
import { manifestSchema } from '../../core/manifest.ts';

export const MANIFEST_JSON_SCHEMA_PATH = path.join(BUILTIN_ASSIGNMENTS_DIR, 'assignment.schema.json');

/** JSON Schema of assignment.yaml as authors write it (defaults make most fields optional). */
export function manifestJsonSchema(): string {
  const text = jsonSchemaText(manifestSchema, 'assignment.schema.json', 'takehome-grader assignment manifest', 'input');
  // The cursor style is the default: the manifest may leave `style` out, which zod's
  // preprocess allows but its JSON Schema cannot say.
  const schema = JSON.parse(text) as { properties: { pagination: { oneOf?: Array<{ properties?: { style?: { const?: string } }; required?: string[] }> } } };
  for (const branch of schema.properties.pagination.oneOf ?? []) {
    if (branch.properties?.style?.const === 'cursor') branch.required = (branch.required ?? []).filter((key) => key !== 'style');
  }
  return `${JSON.stringify(schema, null, 2)}\n`;
}
