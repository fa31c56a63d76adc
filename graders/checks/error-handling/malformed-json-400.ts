import { fail, pass, type CheckDefinition } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';
import { jsonBodyProblem } from '../../http/json-body.ts';

export const malformedJson400: CheckDefinition = {
  id: 'error_handling.malformed-json-400',
  area: 'error_handling',
  tier: 'must',
  title: 'Malformed JSON body answers 400 with a JSON body, never 5xx',
  points: 5,
  standard: 'RFC 9110 §15.5.1 (400 Bad Request); assignment contract: "Malformed JSON → 400"',
  accepted: 'status 400 with a JSON body (application/json or application/*+json)',
  instance: 'relaxed',
  async run({ http, params }) {
    const body = '{"name": "truncated", "price_cents": 1';
    const result = await http.send({
      method: 'POST',
      path: params.items.path,
      headers: { 'content-type': 'application/json' },
      body,
      note: 'a JSON document cut off before its closing brace',
    });
    if (!result.ok) return fail(`POST ${params.items.path} with truncated JSON: ${result.error}`);
    if (result.status !== 400) {
      return fail(`POST ${params.items.path} with truncated JSON answered ${describeResult(result)}, expected 400`);
    }
    const problem = jsonBodyProblem(result);
    if (problem) return fail(`truncated JSON answered 400 but ${problem}`);
    return pass('truncated JSON answered 400 with a JSON body');
  },
};
