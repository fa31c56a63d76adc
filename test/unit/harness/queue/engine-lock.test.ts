import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { lockPath, withEngineScope, withMachineLock } from '../../../../harness/machine-lock.ts';

const tick = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('load-probe locks per engine', () => {
  let previous: string | undefined;
  let cache: string;
  beforeEach(async () => {
    // Lock files in a cache folder of the test's own, so a real grading's locks are never touched.
    previous = process.env.GRADER_CACHE_DIR;
    cache = await mkdtemp(path.join(tmpdir(), 'tg-engine-lock-'));
    process.env.GRADER_CACHE_DIR = cache;
  });
  afterEach(() => {
    if (previous === undefined) delete process.env.GRADER_CACHE_DIR;
    else process.env.GRADER_CACHE_DIR = previous;
  });

  it('keeps the machine\'s lock outside a scope, and gives each engine its own inside one', async () => {
    expect(lockPath('load-probe')).toBe(path.join(cache, 'locks', 'load-probe'));
    await withEngineScope('b/../x', async () => {
      await tick(1);
      expect(lockPath('load-probe')).toBe(path.join(cache, 'locks', 'engines', 'b_.._x', 'load-probe'));
    });
  });

  it('serialises load probes on one engine but not across engines', async () => {
    const events: string[] = [];
    const probe = (engine: string | null, name: string) => {
      const task = () => withMachineLock('load-probe', async () => {
        events.push(`${name} start`);
        await tick(150);
        events.push(`${name} end`);
      });
      return engine === null ? task() : withEngineScope(engine, task);
    };
    await Promise.all([probe('a', 'a1'), probe('b', 'b1')]);
    expect(events.slice(0, 2).sort()).toEqual(['a1 start', 'b1 start']);
    events.length = 0;
    await Promise.all([probe('a', 'a1'), probe('a', 'a2')]);
    expect(events[1]).toMatch(/end$/);
    events.length = 0;
    await Promise.all([probe(null, 'm1'), probe(null, 'm2')]);
    expect(events[1]).toMatch(/end$/);
  });
});
