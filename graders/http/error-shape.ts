import type { ProbeResponse } from './probe-client.ts';

/** Sorted top-level member names of a JSON object body; null when the body is not one. */
export function topLevelKeys(response: ProbeResponse): string[] | null {
  const body = response.json();
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return null;
  return Object.keys(body).sort();
}

/**
 * Bodies share one shape when every body has all the members of the leanest one: extension
 * members (RFC 9457 §3.2, e.g. a validation error's field list) do not make a new shape.
 */
export function sharesOneShape(shapes: ReadonlyArray<readonly string[]>): boolean {
  const leanest = [...shapes].sort((a, b) => a.length - b.length)[0];
  if (!leanest || leanest.length === 0) return false;
  return shapes.every((shape) => leanest.every((key) => shape.includes(key)));
}
