import { fail, pass, type CheckDefinition } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';

export const healthOk: CheckDefinition = {
  id: 'startup.health-ok',
  area: 'startup',
  tier: 'must',
  title: 'Starts within the deadline and GET /health answers 200',
  points: 5,
  standard: 'Assignment contract: "GET /health answers 200 once ready"',
  accepted: 'any 2xx on the health path (the contract says 200; 204 is accepted as equivalent)',
  instance: 'relaxed',
  isolation: { need: 'nothing', why: 'a GET of the health path; changes nothing' },
  async run({ http, params }) {
    const result = await http.send({ method: 'GET', path: params.healthPath });
    if (result.ok && result.status >= 200 && result.status < 300) {
      return pass(`GET ${params.healthPath} answered ${result.status}`);
    }
    return fail(`GET ${params.healthPath} answered ${describeResult(result)}, expected 200`);
  },
};
