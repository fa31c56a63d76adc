import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAssignment } from '../../../../harness/assignment/load-assignment.ts';
import { settingsPatch } from '../../../../harness/cli/assignment-command.ts';

async function manifestFile(text: string): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), 'tg-manifest-'));
  await writeFile(path.join(dir, 'assignment.yaml'), text);
  return dir;
}

describe('loadAssignment: errors name the path, what was expected and what was there', () => {
  it('five mistakes give five precise errors', async () => {
    const dir = await manifestFile(
      [
        'id: Orders_Service', // not kebab-case
        'version: 1.0.0',
        'title: Orders',
        'runtime:',
        '  port: "3000a"', // not an integer
        'limits:',
        '  memoryMb: 32', // below the minimum
        'load:',
        '  connections: many', // not a number
        'suites:',
        '  - id: orders.suite',
        '    title: Hidden suite',
        '    command: [node, --test]',
        '    format: junit', // junit without junitFile
      ].join('\n'),
    );
    const error = await loadAssignment(dir).then(
      () => null,
      (caught: unknown) => caught as Error,
    );
    expect(error).not.toBeNull();
    const parts = (error?.message ?? '').replace(/^[^:]+assignment\.yaml: /, '').split('; ');
    expect(parts).toHaveLength(5);
    expect(parts).toEqual(
      expect.arrayContaining([
        'id: expected kebab-case, got "Orders_Service"',
        'runtime.port: expected integer 1..65535, got "3000a"',
        'limits.memoryMb: expected integer 64..16384, got 32',
        'load.connections: expected integer 1..1000, got "many"',
        'suites.0.junitFile: format junit needs junitFile: the path the command writes its XML to',
      ]),
    );
  });

  it('the built-in exercises load', async () => {
    expect((await loadAssignment('rate-limited-items')).manifest.id).toBe('rate-limited-items');
    const orders = await loadAssignment('orders-service-repair');
    expect(orders.manifest.suites.map((suite) => suite.id)).toEqual(['orders.idempotency']);
    expect(orders.manifest.memory.ceilingMb).toBeGreaterThan(0);
  });

  it('a suite folder outside the assignment is refused', async () => {
    const dir = await manifestFile(['id: x', 'version: "1"', 'title: X', 'suites:', '  - { id: s, title: S, dir: ../elsewhere, command: [node] }'].join('\n'));
    await expect(loadAssignment(dir)).rejects.toThrow(/suites\.0\.dir: expected a path inside the assignment folder/);
  });
});

describe('settingsPatch (--set)', () => {
  it('builds a nested patch with YAML-typed values', () => {
    expect(settingsPatch(['load.durationS=3', 'load.enabled=false', 'memory.during=[a, b]', 'title="A: B"'])).toEqual({
      load: { durationS: 3, enabled: false },
      memory: { during: ['a', 'b'] },
      title: 'A: B',
    });
  });
});
