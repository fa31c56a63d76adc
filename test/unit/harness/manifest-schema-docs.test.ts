import { describe, expect, it } from 'vitest';
import { manifestJsonSchema } from '../../../harness/assignment/export-manifest-schema.ts';

type Node = { [key: string]: unknown; properties?: Record<string, Node>; items?: Node; oneOf?: Node[]; anyOf?: Node[]; allOf?: Node[] };

/** Every property of the exported schema, with its path: what an author's editor shows them. */
function properties(node: Node, path: string): Array<[string, Node]> {
  const own = Object.entries(node.properties ?? {}).flatMap(([key, child]): Array<[string, Node]> => [[`${path}.${key}`, child], ...properties(child, `${path}.${key}`)]);
  const branches = [...(node.oneOf ?? []), ...(node.anyOf ?? []), ...(node.allOf ?? [])].flatMap((branch) => properties(branch, path));
  return [...own, ...branches, ...(node.items ? properties(node.items, `${path}[]`) : [])];
}

const isSection = (node: Node) => node.type === 'object' || node.properties !== undefined || node.oneOf !== undefined || node.anyOf !== undefined;

describe('assignment.schema.json documents every field', () => {
  const schema = JSON.parse(manifestJsonSchema()) as Node;
  const all = properties(schema, '');

  it('covers the whole manifest, every style included', () => {
    expect(all.map(([path]) => path)).toEqual(expect.arrayContaining(['.pagination.offsetParam', '.pagination.firstPage', '.rateLimit.identity', '.items.idFormat', '.suites[].runner']));
  });

  it('gives every field a description, and every value field an example', () => {
    const undocumented = all.filter(([, node]) => typeof node.description !== 'string').map(([path]) => path);
    const noExample = all.filter(([, node]) => !isSection(node) && !Array.isArray(node.examples)).map(([path]) => path);
    expect(undocumented).toEqual([]);
    expect(noExample).toEqual([]);
  });

  it('says unknown keys are errors', () => {
    expect(schema.additionalProperties).toBe(false);
  });
});
