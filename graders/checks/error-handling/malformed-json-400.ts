import { fail, pass, type CheckDefinition } from '../../check.ts';
import { needsCreate } from '../pagination/seed-items.ts';
import { describeResult } from '../../http/describe-result.ts';
import { jsonBodyProblem } from '../../http/json-body.ts';

const MALFORMED: Array<[string, string]> = [
  ['truncated', '{"name": "truncated", "price_cents": 1'],
  ['trailing comma', '{"name": "comma", "price_cents": 1,}'],
  ['single quotes', "{'name': 'quotes', 'price_cents': 1}"],
];

export const malformedJson400: CheckDefinition = {
  id: 'error_handling.malformed-json-400',
  area: 'error_handling',
  tier: 'must',
  title: 'Malformed JSON bodies answer 400 with a JSON body, never 5xx',
  points: 5,
  standard: 'RFC 9110 §15.5.1 (400 Bad Request); RFC 8259 (JSON); assignment contract: "Malformed JSON → 400"',
  accepted: 'status 400 with a JSON body (application/json or application/*+json) for a truncated document, a trailing comma and single quotes',
  instance: 'relaxed',
  isolation: { need: 'nothing', why: 'malformed JSON is refused or at worst stored; no check on this instance counts items' },
  notApplicable: needsCreate,
  async run({ http, params }) {
    for (const [label, body] of MALFORMED) {
      const result = await http.send({
        method: 'POST',
        path: params.items.path,
        headers: { 'content-type': 'application/json' },
        body,
        note: label,
      });
      if (!result.ok) return fail(`POST ${params.items.path} with ${label} JSON: ${result.error}`);
      if (result.status !== 400) return fail(`POST ${params.items.path} with ${label} JSON answered ${describeResult(result)}, expected 400`);
      const problem = jsonBodyProblem(result);
      if (problem) return fail(`${label} JSON answered 400 but ${problem}`);
    }
    return pass(`${MALFORMED.map(([label]) => label).join(', ')} JSON all answered 400 with a JSON body`);
  },
};
