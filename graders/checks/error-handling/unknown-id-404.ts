import { randomUUID } from 'node:crypto';
import { fail, pass, type CheckContext, type CheckDefinition } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';
import { jsonBodyProblem } from '../../http/json-body.ts';
import { itemPath } from '../pagination/seed-items.ts';

/** An id of the declared format that no item has, and one that cannot be an id at all (null for free-form ids). */
export function unknownId(ctx: CheckContext): { wellFormed: string; malformed: string | null } {
  switch (ctx.params.items.idFormat) {
    case 'integer':
      return { wellFormed: '987654321', malformed: 'not-a-number' };
    case 'uuid':
      return { wellFormed: randomUUID(), malformed: 'not-a-uuid' };
    case 'string':
      return { wellFormed: `does-not-exist-${ctx.nonce}`, malformed: null };
  }
}

export const unknownId404: CheckDefinition = {
  id: 'error_handling.unknown-id-404',
  area: 'error_handling',
  tier: 'must',
  title: 'An unknown id answers 404 with a JSON body; a malformed one 400 or 404',
  points: 5,
  standard: 'RFC 9110 §15.5.5 (404 Not Found) and §15.5.1 (400 for a malformed request); assignment contract',
  accepted:
    'a well-formed id of the declared format (integer, UUID, string) that was never created → 404 with a JSON body, on GET and (where declared) DELETE; a malformed id (not an integer, not a UUID) → 400, 404 or a validation status, with a JSON body; never 5xx',
  instance: 'relaxed',
  isolation: { need: 'nothing', why: 'GETs ids that cannot exist (fresh nonce); reads only' },
  async run(ctx) {
    const { http, params } = ctx;
    const ids = unknownId(ctx);
    const methods = params.items.delete ? ['GET', 'DELETE'] : ['GET'];
    const path = itemPath(ctx, ids.wellFormed);
    for (const method of methods) {
      const result = await http.send({ method, path, note: `an unknown ${params.items.idFormat} id` });
      if (!result.ok || result.status !== 404) return fail(`${method} ${path} answered ${describeResult(result)}, expected 404`);
      const problem = jsonBodyProblem(result);
      if (problem) return fail(`${method} ${path} answered 404 but ${problem}`);
    }
    if (ids.malformed !== null) {
      const accepted = new Set([400, 404, ...params.errors.validationStatuses]);
      const malformedPath = itemPath(ctx, ids.malformed);
      const result = await http.send({ method: 'GET', path: malformedPath, note: `an id that is not ${params.items.idFormat === 'uuid' ? 'a UUID' : 'an integer'}` });
      if (!result.ok || !accepted.has(result.status)) return fail(`GET ${malformedPath} answered ${describeResult(result)}, expected ${[...accepted].join(' or ')}`);
      const problem = jsonBodyProblem(result);
      if (problem) return fail(`GET ${malformedPath} answered ${result.status} but ${problem}`);
    }
    return pass(`${methods.join(' and ')} of an unknown ${params.items.idFormat} id answered 404${ids.malformed !== null ? ', and a malformed id was refused' : ''}, with JSON bodies`);
  },
};
