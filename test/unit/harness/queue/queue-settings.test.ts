import { describe, expect, it } from 'vitest';
import { jobKey } from '../../../../harness/queue/job-key.ts';
import { jobPayloadSchema } from '../../../../harness/queue/job-payload.ts';
import { leaseSettings } from '../../../../harness/queue/lease.ts';
import { redisOptions } from '../../../../harness/queue/redis-connection.ts';

const identity = { assignmentId: 'rate-limited-items', assignmentVersion: '1.0.0', source: 'https://github.com/a/b.git', commit: 'a'.repeat(40), overrides: {} };

describe('jobKey', () => {
  it('is the same for the same assignment version, source, commit and settings', () => {
    expect(jobKey(identity)).toBe(jobKey({ ...identity, overrides: { start: undefined } }));
    expect(jobKey(identity)).toMatch(/^g-[0-9a-f]{32}$/);
    expect(jobKey({ ...identity, overrides: { start: 'node a.js', dir: 'x' } })).toBe(jobKey({ ...identity, overrides: { dir: 'x', start: 'node a.js' } }));
  });

  it('ignores URL credentials and a trailing slash, and changes with anything graded differently', () => {
    expect(jobKey({ ...identity, source: 'https://user:tok@github.com/a/b.git/' })).toBe(jobKey(identity));
    const key = jobKey(identity);
    expect(jobKey({ ...identity, assignmentVersion: '1.0.1' })).not.toBe(key);
    expect(jobKey({ ...identity, commit: 'b'.repeat(40) })).not.toBe(key);
    expect(jobKey({ ...identity, overrides: { start: 'node a.js' } })).not.toBe(key);
  });
});

describe('leaseSettings', () => {
  it('takes a killed worker\'s job back within lease + 10 s', () => {
    for (const lease of [5_000, 15_000, 20_000, 30_000, 120_000]) {
      const settings = leaseSettings(lease);
      expect(settings.lockDuration).toBe(lease);
      expect(settings.stalledInterval).toBeLessThanOrEqual(10_000);
      expect(settings.stalledInterval).toBeLessThanOrEqual(lease);
    }
  });

  it('refuses a lease too short to renew or absurdly long', () => {
    expect(() => leaseSettings(1_000)).toThrow(/5–600 s/);
    expect(() => leaseSettings(3_600_000)).toThrow(/5–600 s/);
  });
});

describe('redisOptions', () => {
  it('reads host, port, database and credentials, and never gives up on a command (BullMQ needs that)', () => {
    expect(redisOptions('redis://127.0.0.1:6390/2')).toEqual({ host: '127.0.0.1', port: 6390, db: 2, maxRetriesPerRequest: null });
    expect(redisOptions('rediss://u:p%40ss@cache.internal')).toMatchObject({ host: 'cache.internal', port: 6379, username: 'u', password: 'p@ss', tls: {} });
  });

  it('refuses what is not a Redis URL', () => {
    expect(() => redisOptions('http://x')).toThrow(/redis:\/\//);
    expect(() => redisOptions('redis://x/abc')).toThrow(/database number/);
    expect(() => redisOptions('nonsense')).toThrow(/not a Redis URL/);
  });
});

describe('jobPayloadSchema', () => {
  it('refuses a payload of another shape read back from Redis', () => {
    const payload = { key: `g-${'0'.repeat(32)}`, candidate: 'a', source: '/x', ref: null, deadline: null, commit: 'files:1', overrides: {}, assignment: { spec: 'x', id: 'x', version: '1' }, enqueuedAt: 1 };
    expect(jobPayloadSchema.parse(payload).failedOn).toEqual([]);
    expect(jobPayloadSchema.safeParse({ ...payload, extra: 1 }).success).toBe(false);
    expect(jobPayloadSchema.safeParse({ ...payload, key: 'x' }).success).toBe(false);
  });
});
