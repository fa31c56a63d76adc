import { parseDictionary, parseList } from 'structured-headers';

export interface RateLimitState {
  /** Which convention the server used. */
  scheme: 'ietf-structured' | 'ietf-draft7' | 'ietf-draft6' | 'x-ratelimit';
  limit: number | null;
  remaining: number | null;
  /** Seconds until the quota resets, relative to now. */
  resetSeconds: number | null;
}

const num = (value: string | undefined): number | null => {
  if (value === undefined || !/^\s*-?\d+(\.\d+)?\s*$/.test(value)) return null;
  return Number(value);
};

/** Reset values over 1e9 are epoch times (seconds, or milliseconds over 1e12), not deltas. */
function toDelta(reset: number | null, nowMs: number): number | null {
  if (reset === null) return null;
  if (reset > 1e12) return (reset - nowMs) / 1000;
  if (reset > 1e9) return reset - nowMs / 1000;
  return reset;
}

function bareNumber(value: unknown): number | null {
  return typeof value === 'number' ? value : null;
}

/**
 * Reads whichever rate-limit header convention a response uses: the IETF httpapi draft's
 * structured `RateLimit`/`RateLimit-Policy` (current: list items with r/t and q/w params;
 * draft 7: a dictionary limit/remaining/reset), draft 6's `RateLimit-Limit/-Remaining/
 * -Reset`, or the de-facto `X-RateLimit-*` / `X-Rate-Limit-*`. Null when none is present.
 */
export function readRateLimitHeaders(headers: Record<string, string>, nowMs = Date.now()): RateLimitState | null {
  const structured = headers.ratelimit;
  if (structured !== undefined) {
    try {
      const list = parseList(structured);
      const first = list[0];
      if (first && (first[1].has('r') || first[1].has('t'))) {
        let limit: number | null = null;
        const policy = headers['ratelimit-policy'];
        if (policy) {
          const policyItem = parseList(policy)[0];
          limit = policyItem ? bareNumber(policyItem[1].get('q')) : null;
        }
        return { scheme: 'ietf-structured', limit, remaining: bareNumber(first[1].get('r')), resetSeconds: bareNumber(first[1].get('t')) };
      }
    } catch {
      // Not a list: try the draft-7 dictionary form below.
    }
    try {
      const dict = parseDictionary(structured);
      const pick = (name: string) => {
        const entry = dict.get(name);
        return entry ? bareNumber(entry[0]) : null;
      };
      if (dict.has('remaining') || dict.has('limit')) {
        return { scheme: 'ietf-draft7', limit: pick('limit'), remaining: pick('remaining'), resetSeconds: pick('reset') };
      }
    } catch {
      // Unparseable: fall through to the other conventions.
    }
  }
  if (headers['ratelimit-remaining'] !== undefined || headers['ratelimit-limit'] !== undefined) {
    return {
      scheme: 'ietf-draft6',
      limit: num(headers['ratelimit-limit']),
      remaining: num(headers['ratelimit-remaining']),
      resetSeconds: toDelta(num(headers['ratelimit-reset']), nowMs),
    };
  }
  for (const prefix of ['x-ratelimit-', 'x-rate-limit-']) {
    if (headers[`${prefix}remaining`] !== undefined || headers[`${prefix}limit`] !== undefined) {
      return {
        scheme: 'x-ratelimit',
        limit: num(headers[`${prefix}limit`]),
        remaining: num(headers[`${prefix}remaining`]),
        resetSeconds: toDelta(num(headers[`${prefix}reset`]), nowMs),
      };
    }
  }
  return null;
}
