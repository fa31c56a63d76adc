import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { MANIFEST_JSON_SCHEMA_PATH, manifestJsonSchema } from '../../../harness/assignment/export-manifest-schema.ts';

describe('assignments/assignment.schema.json', () => {
  it('matches the zod manifest schema (regenerate with `npm run schema`)', async () => {
    expect(await readFile(MANIFEST_JSON_SCHEMA_PATH, 'utf8')).toBe(manifestJsonSchema());
  });

  it('requires only what has no default', () => {
    const schema = JSON.parse(manifestJsonSchema()) as { required: string[] };
    expect(schema.required.sort()).toEqual(['id', 'title', 'version']);
  });
});
