import { cp, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeFolders } from '../make-folders.ts';
import { UsageError, errorMessage } from '../../core/errors.ts';
import { BUILTIN_ASSIGNMENTS_DIR, DEFAULT_ASSIGNMENT } from '../paths.ts';

const AUTHORS_README = (id: string) => `# ${id} — notes for assignment authors

The full guide is docs/authoring.md in the takehome-grader repository.

- \`assignment.yaml\`: the manifest (schema: \`assignments/assignment.schema.json\`). Change the
  id, version and title; adjust paths, field names, budgets and deadlines to your contract.
- \`brief.md\`: what the candidate receives. Never put check names or thresholds here
  beyond what the contract states.
- \`rubric.yaml\`: which checks and signals bear on each hiring criterion.
- \`reference/\`: a solution that must pass every must-check.
- \`mutants/<name>/mutant.yaml\`: the reference plus exact text edits planting one flaw,
  with the checks it must fail (\`mustFail\`). It may fail more checks of the same area
  (a flaw has consequences there); every must-check of another area must still pass.
- \`variants/<name>/\`: correct alternative designs (with a \`variant.yaml\`) that must pass.
- \`checks/*.ts\` (optional): checks of your own, exported as objects with the built-in
  check shape (\`id\`, \`area\`, \`tier\`, \`title\`, \`points\`, \`standard\`, \`accepted\`,
  \`instance\`, \`run(ctx)\`). They are bundled into the prober only; import types only.

Prove the checks discriminate with \`npx grader assignment validate ${id}\` (or the folder's
path): it grades the reference, each mutant and each variant and prints the matrix.
`;

/**
 * A new exercise that validates as it is: a copy of the built-in contract (manifest, brief,
 * rubric, reference) under a new id, an empty mutants folder, and notes for authors.
 */
export async function scaffoldAssignment(id: string, parentDir: string): Promise<string> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(id)) throw new UsageError(`assignment id "${id}" must be kebab-case (a-z, 0-9, -)`);
  if (id.length > 64) throw new UsageError(`assignment id is ${id.length} characters long; 64 at most`);
  // A second assignment with a built-in's id would make `--assignment <id>` ambiguous.
  const builtins = await readdir(BUILTIN_ASSIGNMENTS_DIR).catch(() => [] as string[]);
  if (builtins.includes(id)) throw new UsageError(`"${id}" is the id of a built-in assignment: choose another id`);
  const dir = path.resolve(parentDir, id);
  if (await stat(dir).then(() => true, () => false)) throw new UsageError(`${dir} already exists`);
  try {
    await write(dir, id);
  } catch (error) {
    throw new UsageError(`cannot create the assignment in ${dir}: ${(error as NodeJS.ErrnoException).code ?? errorMessage(error)}`);
  }
  return dir;
}

async function write(dir: string, id: string): Promise<void> {
  // One level at a time: Node's recursive mkdir spins forever under /proc.
  await makeFolders(path.join(dir, 'mutants'));
  const template = path.join(BUILTIN_ASSIGNMENTS_DIR, DEFAULT_ASSIGNMENT);
  await writeFile(path.join(dir, 'mutants', '.gitkeep'), '');
  for (const file of ['brief.md', 'rubric.yaml']) await cp(path.join(template, file), path.join(dir, file));
  await cp(path.join(template, 'reference'), path.join(dir, 'reference'), { recursive: true, filter: (source) => !source.includes('node_modules') });
  const manifest = (await readFile(path.join(template, 'assignment.yaml'), 'utf8'))
    .replace(/^id: .*$/m, `id: ${id}`)
    .replace(/^version: .*$/m, 'version: 0.1.0')
    .replace(/^title: .*$/m, `title: ${id.replace(/-/g, ' ')}`);
  await writeFile(path.join(dir, 'assignment.yaml'), manifest);
  await writeFile(path.join(dir, 'README.md'), AUTHORS_README(id));
}
