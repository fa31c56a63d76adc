import type { CheckParams } from '../../../core/check-params.ts';
import { fail, pass, type CheckDefinition } from '../../check.ts';
import { needsCreate } from '../pagination/seed-items.ts';

export const problemDetails: CheckDefinition = {
  id: 'error_handling.problem-details',
  area: 'error_handling',
  tier: 'signal',
  title: 'Errors are RFC 9457 problem details, with field-level validation errors',
  points: 3,
  standard: 'RFC 9457 (Problem Details for HTTP APIs)',
  accepted: 'Content-Type application/problem+json with title and status (type and detail welcome), and a validation error that lists the failing fields in an array member',
  instance: 'relaxed',
  isolation: { need: 'nothing', why: 'reads error bodies; no check on this instance counts items' },
  notApplicable: needsCreate,
  async run({ http, params }) {
    const result = await http.send({
      method: 'POST',
      path: params.items.path,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(twoInvalid(params)),
      note: 'two invalid fields at once',
    });
    if (!result.ok || result.status < 400) return fail('the invalid body was not rejected');
    const type = result.headers['content-type'] ?? '';
    if (!/^application\/problem\+json/i.test(type)) return fail(`Content-Type is "${type}", not application/problem+json`);
    const body = result.json() as Record<string, unknown> | undefined;
    if (!body || typeof body.title !== 'string' || body.status !== result.status) return fail('the problem lacks a title or a status equal to the HTTP status');
    const list = Object.values(body).find((value) => Array.isArray(value) && value.length > 0);
    if (!list) return fail('problem details, but no array of field-level errors');
    const text = JSON.stringify(list);
    const named = [params.errors.stringField, params.errors.integerField].filter((field): field is string => field !== null);
    if (!named.every((field) => text.includes(field))) return fail(`the field-level errors do not name ${named.join(' and ')}`);
    return pass('application/problem+json with title, status and a field-level error list naming both fields');
  },
};

/** A body with every declared field invalid at once (an empty object when none is declared). */
function twoInvalid(params: CheckParams): Record<string, unknown> {
  const { stringField, integerField } = params.errors;
  return { ...(stringField !== null ? { [stringField]: '' } : {}), ...(integerField !== null ? { [integerField]: -1 } : {}) };
}
