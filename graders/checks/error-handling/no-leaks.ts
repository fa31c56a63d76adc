import { fail, pass, type CheckDefinition } from '../../check.ts';
import { positionParam } from '../pagination/styles/pagination-style.ts';
import type { ProbeResult } from '../../http/probe-client.ts';

/**
 * Signs of internals in any runtime's error body; the toolchains add their own (stack
 * frames, module paths) through params.leakPatterns.
 */
const GENERIC_LEAKS: Array<[string, RegExp]> = [
  ['an absolute path', /(?:^|[\s"'(])\/(?:workspace|app|home|usr|opt|srv|tmp|root|var)\/[\w./-]+/],
  ['a "stack" member', /"stack"\s*:/],
];

export const noLeaks: CheckDefinition = {
  id: 'error_handling.no-leaks',
  area: 'error_handling',
  tier: 'must',
  title: 'Error bodies never leak stack traces or file paths',
  points: 10,
  standard: 'OWASP API8:2023; CWE-209 (information exposure through error messages); assignment contract: "never a stack trace"',
  accepted: 'no error body contains a stack frame or module path of the runtime (the toolchain\'s patterns), an absolute path or a "stack" member (the manifest\'s production env is pinned and recorded)',
  instance: 'relaxed',
  isolation: { need: 'nothing', why: 'reads error bodies for stack traces and paths; no check on this instance counts items' },
  async run({ http, params, nonce }) {
    const json = { 'content-type': 'application/json' };
    const probes: Array<Parameters<typeof http.send>[0]> = [
      { method: 'POST', path: params.items.path, headers: json, body: '{"broken": ', note: 'malformed JSON' },
      { method: 'POST', path: params.items.path, headers: json, body: '{"name": {"$gt": ""}, "price_cents": {"a": [1]}}', note: 'objects where scalars belong' },
      { method: 'POST', path: params.items.path, headers: json, body: 'null', note: 'null body' },
      { method: 'GET', path: `${params.items.path}/${'%'}E0%A4%A`, note: 'invalid percent-encoding in the id' },
      { method: 'GET', path: `${params.items.path}?${positionParam(params.pagination)}=%00%FF${nonce}`, note: 'binary page position' },
      { method: 'GET', path: `${params.items.path}/${encodeURIComponent('../../etc/passwd')}`, note: 'path traversal as an id' },
    ];
    // Without a create endpoint a POST is only a 405: the bodies would test nothing.
    if (params.items.createBody === null) probes.splice(0, 3);
    const patterns = [...GENERIC_LEAKS, ...params.leakPatterns.map(({ label, pattern }): [string, RegExp] => [label, new RegExp(pattern)])];
    const leaks: string[] = [];
    for (const probe of probes) {
      const result: ProbeResult = await http.send(probe);
      if (!result.ok || result.status < 400) continue;
      const text = result.text();
      for (const [label, pattern] of patterns) {
        const match = pattern.exec(text);
        if (match) leaks.push(`${probe.note} → ${result.status} with ${label}: "${match[0].slice(0, 80)}"`);
      }
    }
    if (leaks.length > 0) return fail(`internals leaked: ${leaks.join('; ')}`);
    return pass(`${probes.length} error-provoking requests; no stack frames, module paths or absolute paths in any body (NODE_ENV=production)`);
  },
};
