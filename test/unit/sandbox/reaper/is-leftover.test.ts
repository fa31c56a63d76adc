import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { LABELS } from '../../../../sandbox/labels.ts';
import { isLeftover } from '../../../../sandbox/reaper.ts';

const past = new Date(Date.now() - 60_000).toISOString();
const future = new Date(Date.now() + 60_000).toISOString();
/** A pid no process has: beyond Linux's pid_max ceiling. */
const DEAD_PID = 4_194_304 + 17;

describe('isLeftover', () => {
  it('keeps the objects of a live process on this host past their expiry (a grading queued for the machine)', () => {
    expect(isLeftover({ [LABELS.instance]: `${hostname()}:${process.pid}`, [LABELS.expires]: past })).toBe(false);
  });

  it('takes the objects of a dead process on this host before their expiry', () => {
    expect(isLeftover({ [LABELS.instance]: `${hostname()}:${DEAD_PID}`, [LABELS.expires]: future })).toBe(true);
  });

  it('judges another host\'s objects by their expiry alone', () => {
    expect(isLeftover({ [LABELS.instance]: 'elsewhere:1', [LABELS.expires]: past })).toBe(true);
    expect(isLeftover({ [LABELS.instance]: 'elsewhere:1', [LABELS.expires]: future })).toBe(false);
  });

  it('keeps what carries neither an instance nor an expiry', () => {
    expect(isLeftover({ [LABELS.managed]: 'true' })).toBe(false);
  });
});

describe('isLeftover across PID namespaces on one host', () => {
  it('judges a process of another PID namespace (same host name) by its expiry, never by a PID it cannot see', async () => {
    const { PID_NAMESPACE } = await import('../../../../sandbox/labels.ts');
    expect(PID_NAMESPACE).toMatch(/^\d+$/);
    const other = `${Number(PID_NAMESPACE) + 1}`;
    expect(isLeftover({ [LABELS.instance]: `${hostname()}:${DEAD_PID}:${other}`, [LABELS.expires]: future })).toBe(false);
    expect(isLeftover({ [LABELS.instance]: `${hostname()}:${DEAD_PID}:${other}`, [LABELS.expires]: past })).toBe(true);
    expect(isLeftover({ [LABELS.instance]: `${hostname()}:${DEAD_PID}:${PID_NAMESPACE}`, [LABELS.expires]: future })).toBe(true);
  });
});
