import { z } from 'zod';

/** A zod schema as a JSON Schema (draft 2020-12) file's text, with its id and title. */
export function jsonSchemaText(schema: z.ZodType, file: string, title: string, io: 'input' | 'output'): string {
  const json = z.toJSONSchema(schema, { target: 'draft-2020-12', io });
  return `${JSON.stringify({ $id: `https://takehome-grader.dev/schema/${file}`, title, ...json }, null, 2)}\n`;
}
