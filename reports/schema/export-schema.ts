import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { jsonSchemaText } from '../../core/json-schema-text.ts';
import { reportSchema } from '../../core/report.ts';

export const REPORT_JSON_SCHEMA_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), 'report.schema.json');

/** JSON Schema of report.json, generated from the zod model so the two cannot drift. */
export function reportJsonSchema(): string {
  return jsonSchemaText(reportSchema, 'report.schema.json', 'takehome-grader report', 'output');
}
