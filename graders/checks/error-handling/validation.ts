import { fail, pass, type CheckContext, type CheckDefinition } from '../../check.ts';
import { needsCreate } from '../pagination/seed-items.ts';
import { describeResult } from '../../http/describe-result.ts';
import { jsonBodyProblem } from '../../http/json-body.ts';

/** Invalid bodies, each with the field a good message names (null: no particular field). */
export function invalidBodies(ctx: CheckContext): Array<[string, unknown, string | null]> {
  const { stringField, integerField, stringMaxLength } = ctx.params.errors;
  const valid = JSON.parse(JSON.stringify(ctx.params.items.createBody ?? {}).replaceAll('{n}', '1')) as Record<string, unknown>;
  const without = (field: string) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== field));
  const strings: Array<[string, unknown, string | null]> =
    stringField === null
      ? []
      : [
          [`missing ${stringField}`, without(stringField), stringField],
          [`${stringField} of the wrong type`, { ...valid, [stringField]: 42 }, stringField],
          [`${stringField} null`, { ...valid, [stringField]: null }, stringField],
          [`${stringField} empty`, { ...valid, [stringField]: '' }, stringField],
          [`${stringField} too long`, { ...valid, [stringField]: 'x'.repeat(stringMaxLength + 1) }, stringField],
        ];
  const integers: Array<[string, unknown, string | null]> =
    integerField === null
      ? []
      : [
          [`missing ${integerField}`, without(integerField), integerField],
          [`negative ${integerField}`, { ...valid, [integerField]: -1 }, integerField],
          [`fractional ${integerField}`, { ...valid, [integerField]: 1.5 }, integerField],
          [`${integerField} as a string`, { ...valid, [integerField]: '100' }, integerField],
        ];
  return [...strings, ...integers, ['an array at the root', [valid], null], ['a string at the root', 'just a string', null]];
}

export const validation: CheckDefinition = {
  id: 'error_handling.validation',
  area: 'error_handling',
  tier: 'must',
  title: 'Invalid items are rejected with 400/422 and a message that names the problem',
  points: 10,
  standard: 'RFC 9110 §15.5.1 / §15.5.21 (400, 422); assignment contract: "validation failure → 400 or 422"',
  accepted: 'each invalid body answers one of the manifest\'s validation statuses (default 400 or 422) with a JSON body that mentions the offending field; nothing invalid is created',
  instance: 'relaxed',
  isolation: { need: 'nothing', why: 'invalid bodies are refused or at worst stored; no check on this instance counts items' },
  notApplicable: needsCreate,
  async run(ctx) {
    const { http, params } = ctx;
    const accepted = params.errors.validationStatuses;
    const problems: string[] = [];
    for (const [label, body, field] of invalidBodies(ctx)) {
      const result = await http.send({
        method: 'POST',
        path: params.items.path,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        note: label,
      });
      if (!result.ok || !accepted.includes(result.status)) {
        problems.push(`${label}: ${describeResult(result)}`);
        continue;
      }
      const problem = jsonBodyProblem(result);
      if (problem) problems.push(`${label}: ${problem}`);
      else if (field && !result.text().includes(field)) problems.push(`${label}: the error body does not mention "${field}"`);
    }
    if (problems.length > 0) return fail(`expected ${accepted.join(' or ')} naming the field — ${problems.join('; ')}`);
    return pass(`all ${invalidBodies(ctx).length} invalid bodies were rejected with a JSON body naming the field`);
  },
};
