import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRoster } from '../../../../harness/batch/roster.ts';

/** A roster file in a fresh folder, beside the submission folders it names. */
async function file(name: string, text: string, folders: string[] = ['alice', 'a', 'b', 'c', 'd', 'e', 'f']): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tg-roster-'));
  await writeFile(path.join(dir, name), text);
  for (const folder of folders) await mkdir(path.join(dir, folder));
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

  it('finds sources that cannot be graded before anything starts: a missing folder, a file, an unsupported URL', async () => {
    const roster = await file('roster.csv', 'candidate,source\ngina,./nope\nhal,./roster.csv\nivy,ssh://git@example.com/i.git\njo,http://example.com/j.git\nkim,./a\n');
    const { rows, problems } = await readRoster(roster);
    expect(rows.map((r) => r.candidate)).toEqual(['kim']);
    expect(problems.map((p) => [p.line, p.message])).toEqual([
      [2, expect.stringMatching(/candidate "gina": source not found: .*nope$/)],
      [3, expect.stringMatching(/candidate "hal": source is not a folder/)],
      [4, expect.stringMatching(/candidate "ivy": refusing source "ssh:\/\/\*\*\*@example.com\/i.git": only https:\/\//)],
      [5, expect.stringMatching(/candidate "jo": refusing source "http:\/\/example.com\/j.git"/)],
    ]);
  });
});

describe('names in any alphabet', () => {
  it('takes José, zoë and Ünï as candidates', async () => {
    const roster = await file('roster.csv', 'candidate,source\nJosé,./a\nzoë,./b\nAlice Ünï,./c\n');
    const { rows, problems } = await readRoster(roster);
    expect(problems).toEqual([]);
    expect(rows.map((row) => row.candidate)).toEqual(['José', 'zoë', 'Alice Ünï']);
  });
});

describe('YAML rosters', () => {
  it('name the file line of each bad entry', async () => {
    const roster = await file('roster.yaml', 'candidates:\n  - candidate: ann\n    source: ./a\n  - candidate: ""\n    source: ./b\n  - candidate: cy\n    source: ./nope\n');
    const { rows, problems } = await readRoster(roster);
    expect(rows.map((row) => row.candidate)).toEqual(['ann']);
    expect(problems.map((problem) => problem.line)).toEqual([4, 6]);
  });
});
