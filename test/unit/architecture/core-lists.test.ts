import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { AREAS } from '../../../core/areas.ts';
import { PHASES } from '../../../core/phases.ts';
import { CHECK_STATUSES } from '../../../core/statuses.ts';
import { projectSourceFiles } from './import-scan.ts';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** The vocabularies core defines once; a second copy elsewhere drifts (it dropped two areas). */
const LISTS: ReadonlyArray<{ name: string; members: readonly string[] }> = [
  { name: 'AREAS', members: AREAS },
  { name: 'CHECK_STATUSES', members: CHECK_STATUSES },
  { name: 'PHASES', members: PHASES },
];

/**
 * Array literals of two or more strings that all belong to one core list: a hand-spelled
 * copy (or subset) of it. Single ids, and Records keyed by the core type, are fine.
 */
function handSpelledLists(file: string, text: string): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isArrayLiteralExpression(node)) {
      const strings = node.elements.filter((element) => ts.isStringLiteral(element) || ts.isNoSubstitutionTemplateLiteral(element)).map((element) => (element as ts.StringLiteralLike).text);
      if (strings.length >= 2 && strings.length === node.elements.length) {
        for (const list of LISTS) {
          if (strings.every((value) => list.members.includes(value))) {
            const line = source.getLineAndCharacterOfPosition(node.getStart(source)).line + 1;
            found.push(`${file}:${line} spells ${list.name} by hand: [${strings.join(', ')}]`);
          }
        }
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('core lists are spelled only in core/', () => {
  it('flags a copied list, and leaves single ids and unrelated lists alone', () => {
    expect(handSpelledLists('reports/x.ts', "const A: Area[] = ['startup', 'rate_limit'];")).toHaveLength(1);
    expect(handSpelledLists('reports/x.ts', "for (const s of ['fail', 'error', 'pass', 'skip'] as const) {}")).toHaveLength(1);
    expect(handSpelledLists('reports/x.ts', "const a = check.area === 'startup'; const levels = ['error', 'warn'];")).toEqual([]);
  });

  it('no product file outside core/ spells AREAS, CHECK_STATUSES or PHASES by hand', () => {
    const offending = projectSourceFiles(ROOT)
      .filter((file) => !file.startsWith('core/'))
      .flatMap((file) => handSpelledLists(file, readFileSync(path.join(ROOT, file), 'utf8')));
    expect(offending, offending.join('\n')).toEqual([]);
  });
});
