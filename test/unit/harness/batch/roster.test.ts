import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRoster } from '../../../../harness/batch/roster.ts';

async function file(name: string, text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tg-roster-'));
  await writeFile(path.join(dir, name), text);
  return path.join(dir, name);
}

describe('readRoster', () => {
  it('reads CSV with a header, resolving local sources against the roster folder', async () => {
    const roster = await file('roster.csv', 'candidate,source,ref,deadline\nalice,./alice,,\nbob,https://example.com/bob.git,main,2026-11-30T18:00:00Z\n');
    const { rows, problems } = await readRoster(roster);
    expect(problems).toEqual([]);
    expect(rows.map((r) => [r.candidate, r.source, r.ref ?? null, r.line])).toEqual([
      ['alice', path.join(path.dirname(roster), 'alice'), null, 2],
      ['bob', 'https://example.com/bob.git', 'main', 3],
    ]);
  });

  it('reports every bad row with its line number', async () => {
    const roster = await file('roster.csv', 'candidate,source,ref,deadline\nalice,./a,,\n,./b,,\nalice,./c,,\ncarol,./d,,not-a-date\n');
    const { rows, problems } = await readRoster(roster);
    expect(rows.map((r) => r.candidate)).toEqual(['alice']);
    expect(problems.map((p) => p.line)).toEqual([3, 4, 5]);
    expect(problems[1]?.message).toMatch(/already appears on line 2/);
    expect(problems[2]?.message).toMatch(/deadline/);
  });

  it('reads YAML lists', async () => {
    const roster = await file('roster.yaml', 'candidates:\n  - candidate: dana\n    source: https://example.com/d.git\n');
    expect((await readRoster(roster)).rows[0]?.candidate).toBe('dana');
  });

  it('takes per-candidate dir and start columns, and refuses a dir that climbs out', async () => {
    const roster = await file('roster.csv', 'candidate,source,dir,start\nerin,./e,server,node dist/main.js\nfrank,./f,../etc,\n');
    const { rows, problems } = await readRoster(roster);
    expect(rows.map((r) => [r.candidate, r.dir, r.start])).toEqual([['erin', 'server', 'node dist/main.js']]);
    expect(problems).toEqual([{ line: 3, message: expect.stringMatching(/dir: must be a folder inside the repository/) }]);
  });
});
