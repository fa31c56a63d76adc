import { fail, pass, type CheckDefinition } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';
import { itemPath } from '../pagination/seed-items.ts';
import { unknownId } from './unknown-id-404.ts';

const parseAllow = (value: string | undefined) =>
  new Set((value ?? '').split(',').map((method) => method.trim().toUpperCase()).filter(Boolean));

export const methodNotAllowed: CheckDefinition = {
  id: 'error_handling.method-not-allowed',
  area: 'error_handling',
  tier: 'signal',
  title: 'A wrong method on a known path answers 405 with a correct Allow',
  points: 3,
  standard: 'RFC 9110 §15.5.6 (405 MUST carry Allow) and §10.2.1 (Allow)',
  accepted: '405 whose Allow lists the declared methods: GET (and POST where there is a create endpoint) for the collection, GET (and DELETE where declared) for an item; HEAD/OPTIONS may be added',
  instance: 'relaxed',
  isolation: { need: 'nothing', why: 'unsupported methods on known paths; no check on this instance counts items' },
  async run(ctx) {
    const { http, params } = ctx;
    const cases: Array<[string, string, string[]]> = [
      ['PUT', params.items.path, params.items.createBody === null ? ['GET'] : ['GET', 'POST']],
      ['PATCH', itemPath(ctx, unknownId(ctx).wellFormed), params.items.delete ? ['GET', 'DELETE'] : ['GET']],
    ];
    for (const [method, path, expected] of cases) {
      const result = await http.send({ method, path, headers: { 'content-type': 'application/json' }, body: '{}' });
      if (!result.ok || result.status !== 405) return fail(`${method} ${path} answered ${describeResult(result)}; 405 is the precise answer`);
      const allow = parseAllow(result.headers.allow);
      const missing = expected.filter((m) => !allow.has(m));
      const extra = [...allow].filter((m) => !expected.includes(m) && m !== 'HEAD' && m !== 'OPTIONS');
      if (missing.length > 0 || extra.length > 0) {
        return fail(`${method} ${path}: 405 with Allow "${result.headers.allow ?? ''}", expected ${expected.join(', ')}`);
      }
    }
    return pass('PUT on the collection and PATCH on an item answered 405 with a correct Allow');
  },
};
