import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { reportSchema } from '../report-schema.ts';

export const REPORT_JSON_SCHEMA_PATH = path.join(path.dirname(fileURLToPath(import.meta.url)), 'report.schema.json');

/** JSON Schema of report.json, generated from the zod model so the two cannot drift. */
export function reportJsonSchema(): string {
  const schema = z.toJSONSchema(reportSchema, { target: 'draft-2020-12', io: 'output' });
  return `${JSON.stringify({ $id: 'https://takehome-grader.dev/schema/report.schema.json', title: 'takehome-grader report', ...schema }, null, 2)}\n`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await writeFile(REPORT_JSON_SCHEMA_PATH, reportJsonSchema());
  process.stdout.write(`wrote ${REPORT_JSON_SCHEMA_PATH}\n`);
}
