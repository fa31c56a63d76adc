import { closest, distance } from 'fastest-levenshtein';
import { z } from 'zod';

/**
 * The known key a mistyped one most likely meant, or null when none is close: a typo
 * (`windowEnv` for `windowEnvs`) is one or two edits away; an unrelated key is not.
 */
export function nearestKey(key: string, known: readonly string[]): string | null {
  if (known.length === 0) return null;
  const best = closest(key, [...known]);
  const lowered = known.find((name) => name.toLowerCase() === key.toLowerCase());
  if (lowered) return lowered;
  return distance(key, best) <= Math.max(2, Math.floor(key.length / 3)) ? best : null;
}

export function unknownKeyMessage(keys: readonly string[], known: readonly string[], elsewhere: Readonly<Record<string, string>> = {}): string {
  return keys
    .map((key) => {
      if (elsewhere[key]) return `"${key}" ${elsewhere[key]}`;
      const near = nearestKey(key, known);
      return `unknown key "${key}"${near ? ` (did you mean "${near}"?)` : ''}; known keys: ${known.join(', ')}`;
    })
    .join('; ');
}

/**
 * An object in a file a person writes: a key it does not know is an error that names the
 * key and the nearest known one, because a silently ignored typo changes nothing and says
 * nothing. `elsewhere` explains keys that belong to a sibling variant (another pagination
 * style's fields).
 */
export function strictObject<T extends z.ZodRawShape>(shape: T, elsewhere: Readonly<Record<string, string>> = {}) {
  const known = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => (issue.code === 'unrecognized_keys' ? unknownKeyMessage(issue.keys, known, elsewhere) : undefined),
  });
}
