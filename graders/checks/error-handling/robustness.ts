import { fail, pass, type CheckDefinition } from '../../check.ts';
import { positionParam } from '../pagination/styles/pagination-style.ts';
import { describeResult } from '../../http/describe-result.ts';
import type { ProbeRequest } from '../../http/probe-client.ts';

export const robustness: CheckDefinition = {
  id: 'error_handling.robustness',
  area: 'error_handling',
  tier: 'must',
  title: 'Hostile input never causes a 5xx, and the server stays up',
  points: 10,
  standard: 'Assignment contract: "No input makes the server answer 5xx or crash"; OWASP API4:2023',
  accepted: 'any non-5xx answer to each input; GET /health still 2xx afterwards (a crash is reported as CRASHED with the exit code)',
  instance: 'relaxed',
  isolation: { need: 'process', why: "hostile input may crash or wedge the server; that must not take other checks' verdicts with it" },
  async run({ http, params }) {
    const json = { 'content-type': 'application/json' };
    const path = params.items.path;
    const inputs: ProbeRequest[] = [
      { method: 'POST', path, headers: json, body: `${'['.repeat(20_000)}${']'.repeat(20_000)}`, note: '20,000 levels of nesting' },
      { method: 'POST', path, headers: json, body: '{"name": "big", "price_cents": 1e400}', note: 'a number beyond double range' },
      { method: 'POST', path, headers: json, body: '{"name": "big", "price_cents": 123456789012345678901234567890}', note: 'an integer beyond 2^53' },
      { method: 'POST', path, headers: json, body: '{"name": "\\ud800\\u202e\\u0000\\u200b", "price_cents": 1}', note: 'lone surrogate, RTL override, NUL, zero-width space' },
      { method: 'POST', path, headers: json, body: '{"name": "x", "price_cents": 1, "__proto__": {"polluted": true}, "constructor": {"prototype": {"x": 1}}}', note: 'prototype-pollution keys' },
      { method: 'GET', path: `${path}/%E0%A4%A`, note: 'invalid percent-encoding in the path' },
      { method: 'GET', path: `${path}?${params.pagination.limitParam}=%ZZ`, note: 'invalid percent-encoding in the query' },
      { method: 'GET', path: `${path}?${params.pagination.limitParam}=1&${params.pagination.limitParam}=2`, note: 'a repeated parameter' },
      { method: 'GET', path: `${path}?${positionParam(params.pagination)}=${'A'.repeat(6000)}`, note: 'a 6,000-character page position' },
      { method: 'GET', path: `${path}/${'x'.repeat(4000)}`, note: 'a 4,000-character id' },
    ];
    const problems: string[] = [];
    for (const input of inputs) {
      const result = await http.send({ ...input, timeoutMs: 10_000 });
      if (!result.ok || result.status >= 500) problems.push(`${input.note}: ${describeResult(result)}`);
    }
    const health = await http.send({ method: 'GET', path: params.healthPath, note: 'still up after all of that?' });
    if (!health.ok || health.status >= 300) problems.push(`${params.healthPath} afterwards: ${describeResult(health)}`);
    if (problems.length > 0) return fail(problems.join('; '));
    return pass(`${inputs.length} hostile inputs, none answered 5xx; ${params.healthPath} still 2xx`);
  },
};
