import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { MANIFEST_JSON_SCHEMA_PATH, manifestJsonSchema } from '../../harness/assignment/export-manifest-schema.ts';
import { reportSchema } from '../report-schema.ts';
import { jsonSchemaText } from './json-schema-text.ts';

export const REPORT_JSON_SCHEMA_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), 'report.schema.json');

/** JSON Schema of report.json, generated from the zod model so the two cannot drift. */
export function reportJsonSchema(): string {
  return jsonSchemaText(reportSchema, 'report.schema.json', 'takehome-grader report', 'output');
}

// `npm run schema`: regenerates both exported schemas.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const [file, text] of [
    [REPORT_JSON_SCHEMA_PATH, reportJsonSchema()],
    [MANIFEST_JSON_SCHEMA_PATH, manifestJsonSchema()],
  ] as const) {
    await writeFile(file, text);
    process.stdout.write(`wrote ${file}\n`);
  }
}
