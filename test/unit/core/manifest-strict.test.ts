import { describe, expect, it } from 'vitest';
import { formatZodIssues } from '../../../core/errors.ts';
import { manifestSchema } from '../../../core/manifest.ts';
import { nearestKey } from '../../../core/strict-object.ts';

const base = { id: 'x', version: '1', title: 'X' };
const errorOf = (raw: unknown): string => {
  const parsed = manifestSchema.safeParse(raw);
  if (parsed.success) throw new Error('expected the manifest to be refused');
  return formatZodIssues(parsed.error, 'assignment.yaml');
};

describe('strict manifests', () => {
  it('refuses an unknown key, naming it and the nearest known one', () => {
    const message = errorOf({ ...base, rateLimit: { windowEnvs: 'W' } });
    expect(message).toMatch(/rateLimit/);
    expect(message).toMatch(/unknown key "windowEnvs" \(did you mean "windowEnv"\?\)/);
  });

  it('refuses an unknown top-level key and one deep inside a suite', () => {
    expect(errorOf({ ...base, pagniation: {} })).toMatch(/unknown key "pagniation" \(did you mean "pagination"\?\)/);
    expect(errorOf({ ...base, suites: [{ id: 's', title: 'S', command: ['x'], timeout: 5 }] })).toMatch(/unknown key "timeout" \(did you mean "timeoutS"\?\)/);
  });

  it('suggests nothing for a key that is nowhere near a known one', () => {
    expect(nearestKey('zzzzzzzz', ['limitParam', 'pageSize'])).toBeNull();
    expect(errorOf({ ...base, items: { zzzzzzzz: 1 } })).not.toMatch(/did you mean/);
  });

  it('refuses a field of another pagination style', () => {
    const message = errorOf({ ...base, pagination: { style: 'offset', cursorParam: 'cursor' } });
    expect(message).toMatch(/pagination/);
    expect(message).toMatch(/"cursorParam" is a field of pagination style cursor, but this pagination is style offset/);
  });

  it('refuses an unknown style, listing the known ones', () => {
    expect(errorOf({ ...base, pagination: { style: 'pages' } })).toMatch(/cursor \| offset \| page \| link/);
  });

  it('reads a manifest without a style as the cursor contract', () => {
    const manifest = manifestSchema.parse(base);
    expect(manifest.pagination.style).toBe('cursor');
    expect(manifest.pagination.stableUnderWrites).toBe(true);
  });

  it('defaults offset and page styles to information about writes, and lets an author demand stability', () => {
    expect(manifestSchema.parse({ ...base, pagination: { style: 'offset' } }).pagination.stableUnderWrites).toBe(false);
    expect(manifestSchema.parse({ ...base, pagination: { style: 'page', stableUnderWrites: true } }).pagination.stableUnderWrites).toBe(true);
  });

  it('merges runtime.env over the defaults instead of replacing them', () => {
    expect(manifestSchema.parse({ ...base, runtime: { env: { LOG_LEVEL: 'warn' } } }).runtime.env).toEqual({ NODE_ENV: 'production', LOG_LEVEL: 'warn' });
    expect(manifestSchema.parse({ ...base, runtime: { env: { NODE_ENV: 'test' } } }).runtime.env).toEqual({ NODE_ENV: 'test' });
  });

  it('re-parses its own output unchanged (variants patch parsed manifests)', () => {
    const once = manifestSchema.parse({ ...base, pagination: { style: 'page', firstPage: 0 }, runtime: { env: { A: '1' } } });
    expect(manifestSchema.parse(once)).toEqual(once);
  });

  it('lets create-body fields be absent and an API have no create endpoint', () => {
    const manifest = manifestSchema.parse({ ...base, items: { createBody: null, seeded: 40, delete: false }, errors: { integerField: null } });
    expect(manifest.items.createBody).toBeNull();
    expect(manifest.errors.integerField).toBeNull();
  });

  it('refuses an empty items field instead of silently accepting it', () => {
    expect(errorOf({ ...base, pagination: { itemsField: '' } })).toMatch(/field path/);
  });
});
