import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { BUILTIN_ASSIGNMENTS_DIR } from '../../../harness/paths.ts';

const dir = path.join(BUILTIN_ASSIGNMENTS_DIR, 'orders-service-repair');

describe('orders-service-repair', () => {
  // The catalogue stands for a remote service the candidate may not change: the starter
  // they receive and the reference the load baseline comes from must simulate the same one.
  it('starter and reference ship the same catalog.js', async () => {
    const [starter, reference] = await Promise.all(['starter', 'reference'].map((folder) => readFile(path.join(dir, folder, 'catalog.js'), 'utf8')));
    expect(starter).toBe(reference);
  });
});
