import { fail, pass, type CheckDefinition } from '../../check.ts';
import { needsCreate } from '../pagination/seed-items.ts';
import { sharesOneShape, topLevelKeys } from '../../http/error-shape.ts';
import type { ProbeRequest } from '../../http/probe-client.ts';

export const consistentShape: CheckDefinition = {
  id: 'error_handling.consistent-shape',
  area: 'error_handling',
  tier: 'signal',
  title: 'All errors share one body shape, and a "status" member matches the HTTP status',
  points: 3,
  standard: 'RFC 9457 §3.1.3 ("status" is advisory and must match); consistency for API clients',
  accepted: 'every error body (404, malformed-JSON 400, validation error, 415) has all the members of the leanest one (extension members allowed); a "status" member, if present, equals the HTTP status',
  instance: 'relaxed',
  isolation: { need: 'nothing', why: 'reads error bodies of requests that fail; no check on this instance counts items' },
  notApplicable: needsCreate,
  async run({ http, params, nonce }) {
    const requests: ProbeRequest[] = [
      { method: 'GET', path: `/no-such-route-${nonce}`, note: 'unknown route' },
      { method: 'POST', path: params.items.path, headers: { 'content-type': 'application/json' }, body: '{"x":', note: 'malformed JSON' },
      { method: 'POST', path: params.items.path, headers: { 'content-type': 'application/json' }, body: '{}', note: 'validation' },
      { method: 'POST', path: params.items.path, headers: { 'content-type': 'text/plain' }, body: '{}', note: 'wrong media type' },
    ];
    const shapes: string[] = [];
    const keySets: string[][] = [];
    for (const request of requests) {
      const result = await http.send(request);
      if (!result.ok || result.status < 400) return fail(`${request.note} did not produce an error (${result.ok ? result.status : result.error})`);
      const keys = topLevelKeys(result);
      if (!keys) return fail(`${request.note} (${result.status}) has no JSON object body`);
      const status = (result.json() as Record<string, unknown>).status;
      if (status !== undefined && status !== result.status) return fail(`${request.note}: body says status ${String(status)} but HTTP says ${result.status}`);
      shapes.push(`${request.note}: {${keys.join(', ')}}`);
      keySets.push(keys);
    }
    if (!sharesOneShape(keySets)) return fail(`no common error shape — ${shapes.join('; ')}`);
    return pass(`one error shape across ${requests.length} kinds of error — ${shapes.join('; ')}`);
  },
};
