import { fail, pass, type CheckDefinition } from '../../check.ts';
import { describeResult } from '../../http/describe-result.ts';
import { createBody, needsCreate } from '../pagination/seed-items.ts';

export const contentType: CheckDefinition = {
  id: 'error_handling.content-type',
  area: 'error_handling',
  tier: 'must',
  title: 'A POST that is not declared as JSON is refused with 415 or 400',
  points: 5,
  standard: 'RFC 9110 §15.5.16 (415 Unsupported Media Type); assignment contract',
  accepted: 'the manifest\'s statuses (default 415 or 400) for text/plain, form-encoded and missing Content-Type; never 2xx or 5xx',
  instance: 'relaxed',
  isolation: { need: 'nothing', why: 'requests with a wrong Content-Type; no check on this instance counts items' },
  notApplicable: needsCreate,
  async run(ctx) {
    const { http, params } = ctx;
    const accepted = params.errors.unsupportedMediaStatuses;
    const problems: string[] = [];
    for (const type of ['text/plain', 'application/x-www-form-urlencoded', null]) {
      const result = await http.send({
        method: 'POST',
        path: params.items.path,
        headers: type ? { 'content-type': type } : {},
        body: createBody(ctx, 1),
        note: type ? `a JSON document labelled ${type}` : 'a JSON document with no Content-Type',
      });
      if (!result.ok || !accepted.includes(result.status)) problems.push(`${type ?? 'no Content-Type'}: ${describeResult(result)}`);
    }
    if (problems.length > 0) return fail(`expected ${accepted.join(' or ')} — ${problems.join('; ')}`);
    return pass(`text/plain, form-encoded and missing Content-Type were all refused with ${accepted.join('/')}`);
  },
};
