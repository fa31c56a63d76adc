import { fail, pass, type CheckDefinition } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';
import { jsonBodyProblem } from '../../http/json-body.ts';

export const unknownId404: CheckDefinition = {
  id: 'error_handling.unknown-id-404',
  area: 'error_handling',
  tier: 'must',
  title: 'Unknown id answers 404 with a JSON body on GET and DELETE',
  points: 5,
  standard: 'RFC 9110 §15.5.5 (404 Not Found); assignment contract',
  accepted: 'status 404 with a JSON body for GET and DELETE of an id that was never created',
  instance: 'relaxed',
  async run({ http, params, nonce }) {
    const path = `${params.items.path}/does-not-exist-${nonce}`;
    for (const method of ['GET', 'DELETE']) {
      const result = await http.send({ method, path });
      if (!result.ok || result.status !== 404) return fail(`${method} ${path} answered ${describeResult(result)}, expected 404`);
      const problem = jsonBodyProblem(result);
      if (problem) return fail(`${method} ${path} answered 404 but ${problem}`);
    }
    return pass('GET and DELETE of an unknown id answered 404 with a JSON body');
  },
};
