/**
 * The value at a manifest field path (`data`, `meta.total`) in a parsed JSON body; `.` is
 * the body itself. undefined when any step is missing.
 */
export function readPath(body: unknown, path: string): unknown {
  if (path === '.') return body;
  let value: unknown = body;
  for (const step of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[step];
  }
  return value;
}

/** What a body holds at its top level, for messages: `keys page, total, results` or `an array of 3`. */
export function describeShape(body: unknown): string {
  if (body === undefined) return 'no JSON body';
  if (Array.isArray(body)) return `a bare array of ${body.length}`;
  if (body === null || typeof body !== 'object') return `a JSON ${body === null ? 'null' : typeof body}`;
  const keys = Object.keys(body);
  return keys.length === 0 ? 'an empty object' : `an object with keys ${keys.slice(0, 12).join(', ')}`;
}
