import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

export interface ImportSite {
  /** Project-relative POSIX path of the importing file. */
  file: string;
  specifier: string;
  line: number;
}

/** The folders whose imports have a direction, relative to the project root. */
export const SCANNED_ROOTS = ['core', 'sandbox', 'graders', 'reports', 'harness', 'bench'] as const;

function walk(dir: string, out: string[]): void {
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return;
  }
  for (const entry of entries) {
    if (entry.name === 'node_modules') continue;
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) walk(full, out);
    else if (entry.isFile() && /\.[cm]?ts$/.test(entry.name)) out.push(full);
  }
}

/** Every .ts file under the scanned roots and assignments/<id>/checks/, project-relative. */
export function projectSourceFiles(root: string): string[] {
  const files: string[] = [];
  for (const folder of SCANNED_ROOTS) walk(path.join(root, folder), files);
  let assignments: string[] = [];
  try {
    assignments = readdirSync(path.join(root, 'assignments'), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .map((entry) => entry.name);
  } catch {
    // No assignments folder: nothing to scan there.
  }
  for (const id of assignments) walk(path.join(root, 'assignments', id, 'checks'), files);
  return files.map((file) => path.relative(root, file).split(path.sep).join('/')).sort();
}

function literalText(node: ts.Node | undefined): string | null {
  return node && (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) ? node.text : null;
}

/**
 * Every module specifier a file names: static imports and re-exports (type-only ones
 * too, since they still couple the folders), `import x = require()`, dynamic `import()`,
 * `require()`, `import('x').T` type queries, and triple-slash references. Dynamic imports
 * of a computed specifier cannot be judged and are returned in `computed`.
 */
export function importsOf(file: string, text: string): { sites: ImportSite[]; computed: ImportSite[] } {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const sites: ImportSite[] = [];
  const computed: ImportSite[] = [];
  const lineOf = (pos: number) => source.getLineAndCharacterOfPosition(pos).line + 1;
  const add = (specifier: string, node: ts.Node) => sites.push({ file, specifier, line: lineOf(node.getStart(source)) });

  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      const text = literalText(node.moduleSpecifier);
      if (text !== null) add(text, node);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const text = literalText(node.moduleReference.expression);
      if (text !== null) add(text, node);
    } else if (ts.isCallExpression(node)) {
      const isImport = node.expression.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(node.expression) && node.expression.text === 'require';
      if (isImport || isRequire) {
        const text = literalText(node.arguments[0]);
        if (text !== null) add(text, node);
        else if (isImport) computed.push({ file, specifier: node.arguments[0]?.getText(source) ?? '', line: lineOf(node.getStart(source)) });
      }
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      const text = literalText(node.argument.literal);
      if (text !== null) add(text, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  for (const ref of source.typeReferenceDirectives) sites.push({ file, specifier: ref.fileName, line: lineOf(ref.pos) });
  for (const ref of source.referencedFiles) {
    const relative = ref.fileName.startsWith('.') ? ref.fileName : `./${ref.fileName}`;
    sites.push({ file, specifier: relative, line: lineOf(ref.pos) });
  }
  return { sites, computed };
}

export function scanProject(root: string): { files: string[]; sites: ImportSite[]; computed: ImportSite[] } {
  const files = projectSourceFiles(root);
  const sites: ImportSite[] = [];
  const computed: ImportSite[] = [];
  for (const file of files) {
    const found = importsOf(file, readFileSync(path.join(root, file), 'utf8'));
    sites.push(...found.sites);
    computed.push(...found.computed);
  }
  return { files, sites, computed };
}
