import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadCustomChecks } from '../../../../harness/assignment/custom-checks.ts';
import { manifestSchema } from '../../../../core/manifest.ts';

describe('loadCustomChecks', () => {
  it('loads a check kept outside any "type": "module" package (an assignment in a hiring team\'s own folder)', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'tg-outside-'));
    await mkdir(path.join(dir, 'checks'));
    await writeFile(
      path.join(dir, 'checks', 'ping.ts'),
      [
        "import type { CheckDefinition } from '../../graders/check.ts'; // types only: the path need not exist",
        "const title: string = 'GET /ping answers';",
        "export const ping: CheckDefinition = { id: 'team.ping', area: 'contract', tier: 'signal', title, points: 1, standard: 'ours', accepted: '200', instance: 'relaxed',",
        "  async run() { return { status: 'pass', message: 'ok' }; } };",
      ].join('\n'),
    );
    const manifest = manifestSchema.parse({ id: 'outside', version: '1', title: 'Outside' });
    const loaded = await loadCustomChecks({ manifest, dir, manifestPath: path.join(dir, 'assignment.yaml') }, new Set());
    expect(loaded.checks.map((check) => [check.id, check.title])).toEqual([['team.ping', 'GET /ping answers']]);
    expect(loaded.files).toEqual([path.join(dir, 'checks', 'ping.ts')]);
  });
});
