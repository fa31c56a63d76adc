import { fail, pass, type CheckDefinition } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';
import { jsonBodyProblem } from '../../http/json-body.ts';

export const unknownRoute404: CheckDefinition = {
  id: 'error_handling.unknown-route-404',
  area: 'error_handling',
  tier: 'must',
  title: 'Unknown route answers 404 with a JSON body',
  points: 5,
  standard: 'RFC 9110 §15.5.5 (404 Not Found); assignment contract: every 4xx has a JSON body',
  accepted: 'status 404; Content-Type application/json or application/*+json; body parses as JSON',
  instance: 'relaxed',
  isolation: { need: 'nothing', why: 'GETs a path that cannot exist (fresh nonce); reads only' },
  async run({ http, nonce }) {
    const path = `/no-such-route-${nonce}`;
    const result = await http.send({ method: 'GET', path });
    if (!result.ok) return fail(`GET ${path}: ${result.error}`);
    if (result.status !== 404) return fail(`GET ${path} answered ${describeResult(result)}, expected 404`);
    const problem = jsonBodyProblem(result);
    if (problem) return fail(`GET ${path} answered 404 but ${problem}`);
    return pass(`GET ${path} answered 404 with a JSON body`);
  },
};
