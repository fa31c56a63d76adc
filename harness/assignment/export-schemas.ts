import { writeFile } from 'node:fs/promises';
import { REPORT_JSON_SCHEMA_PATH, reportJsonSchema } from '../../reports/schema/export-schema.ts';
import { MANIFEST_JSON_SCHEMA_PATH, manifestJsonSchema } from './export-manifest-schema.ts';

// `npm run schema`: regenerates both exported JSON Schemas from their zod models.
for (const [file, text] of [
  [REPORT_JSON_SCHEMA_PATH, reportJsonSchema()],
  [MANIFEST_JSON_SCHEMA_PATH, manifestJsonSchema()],
] as const) {
  await writeFile(file, text);
  process.stdout.write(`wrote ${file}\n`);
}
