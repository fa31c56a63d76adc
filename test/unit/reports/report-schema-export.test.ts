import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { REPORT_JSON_SCHEMA_PATH, reportJsonSchema } from '../../../reports/schema/export-schema.ts';

describe('reports/schema/report.schema.json', () => {
  it('matches the zod model (regenerate with `npm run schema`)', async () => {
    expect(await readFile(REPORT_JSON_SCHEMA_PATH, 'utf8')).toBe(reportJsonSchema());
  });

  it('names the fields other tools read', () => {
    const schema = JSON.parse(reportJsonSchema()) as { required: string[] };
    for (const field of ['schemaVersion', 'gradable', 'assignment', 'submission', 'environment', 'phases', 'checks', 'score']) {
      expect(schema.required).toContain(field);
    }
  });
});
