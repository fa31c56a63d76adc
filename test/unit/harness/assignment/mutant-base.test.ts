import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../../../../harness/assignment/load-assignment.ts';
import { checkMutants, loadMutants, materialiseMutant, mutantBase } from '../../../../harness/assignment/mutants.ts';

async function assignmentWith(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tg-mutant-base-'));
  for (const [file, text] of Object.entries({ 'assignment.yaml': 'id: base-test\nversion: 1.0.0\ntitle: Base test\n', ...files })) {
    await mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await writeFile(path.join(dir, file), text);
  }
  return dir;
}

const MUTANT = (base: string | null) =>
  [`description: flips the answer`, ...(base ? [`base: ${base}`] : []), 'mustFail: [rate_limit.recovery]', 'edits:', '  - file: app.py', '    find: "return 1"', '    replace: "return 2"', ''].join('\n');

describe('mutants with a base', () => {
  it('edit the folder their base names (a variant) instead of the reference', async () => {
    const dir = await assignmentWith({
      'reference/app.py': 'def answer():\n    return 0\n',
      'variants/py/app.py': 'def answer():\n    return 1\n',
      'variants/py/variant.yaml': 'description: python\n',
      'mutants/py-flip/mutant.yaml': MUTANT('variants/py'),
    });
    const assignment = await loadAssignment(dir);
    const mutants = await loadMutants(assignment);
    expect(mutants[0]?.base).toBe('variants/py');
    expect(mutantBase(assignment, mutants[0]!)).toBe(path.join(dir, 'variants/py'));
    await checkMutants(assignment, mutants);
    const { dir: copy, cleanup } = await materialiseMutant(assignment, mutants[0]!);
    try {
      expect(await readFile(path.join(copy, 'app.py'), 'utf8')).toBe('def answer():\n    return 2\n');
      expect(await readFile(path.join(copy, 'variant.yaml'), 'utf8')).toBe('description: python\n');
    } finally {
      await cleanup();
    }
  });

  it('is checked before grading: a base that is not a folder, or an edit it does not hold, is named', async () => {
    const missing = await loadAssignment(await assignmentWith({ 'reference/app.py': 'return 1\n', 'mutants/m/mutant.yaml': MUTANT('variants/none') }));
    await expect(checkMutants(missing, await loadMutants(missing))).rejects.toThrow(/mutant m: base variants\/none is not a folder/);
    const noText = await loadAssignment(await assignmentWith({ 'reference/app.py': 'return 1\n', 'variants/py/app.py': 'return 0\n', 'mutants/m/mutant.yaml': MUTANT('variants/py') }));
    await expect(checkMutants(noText, await loadMutants(noText))).rejects.toThrow(/occurs 0 times in app.py/);
  });

  it('may not name a folder outside the assignment', async () => {
    const dir = await assignmentWith({ 'reference/app.py': 'return 1\n', 'mutants/m/mutant.yaml': MUTANT('../elsewhere') });
    await expect(loadMutants(await loadAssignment(dir))).rejects.toThrow(/base/);
  });

  it('edit the reference without a base', async () => {
    const dir = await assignmentWith({ 'reference/app.py': 'return 1\n', 'mutants/m/mutant.yaml': MUTANT(null) });
    const assignment = await loadAssignment(dir);
    const [mutant] = await loadMutants(assignment);
    expect(mutantBase(assignment, mutant!)).toBe(path.join(dir, 'reference'));
    await checkMutants(assignment, [mutant!]);
  });
});
