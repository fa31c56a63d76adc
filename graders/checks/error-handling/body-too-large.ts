import { fail, pass, type CheckDefinition } from '../../check.ts';
import { needsCreate } from '../pagination/seed-items.ts';
import { describeResult } from '../../http/describe-result.ts';

export const bodyTooLarge: CheckDefinition = {
  id: 'error_handling.body-too-large',
  area: 'error_handling',
  tier: 'must',
  title: 'A body over the size limit answers 413 (or 400), never 5xx or a reset',
  points: 5,
  standard: 'RFC 9110 §15.5.14 (413 Content Too Large); assignment contract: "body over 1 MB → 413"',
  accepted: '413 or 400 for a valid item padded to the limit + 64 KiB (an extra member); the server stays up',
  instance: 'relaxed',
  isolation: { need: 'nothing', why: 'an oversized body is refused or at worst stored; no check on this instance counts items' },
  notApplicable: needsCreate,
  async run({ http, params }) {
    // A valid item plus padding: a server without a limit would accept it (201), so a 400
    // for an over-long field cannot pass for a size limit.
    const valid = JSON.parse(JSON.stringify(params.items.createBody).replaceAll('{n}', 'large')) as Record<string, unknown>;
    const body = JSON.stringify({ ...valid, padding: 'x'.repeat(params.errors.maxBodyBytes + 64 * 1024) });
    const result = await http.send({
      method: 'POST',
      path: params.items.path,
      headers: { 'content-type': 'application/json' },
      body,
      timeoutMs: 15_000,
      note: `${body.length} bytes of valid JSON`,
    });
    if (!result.ok) return fail(`a ${body.length}-byte body got no answer: ${result.error}`);
    if (result.status !== 413 && result.status !== 400) return fail(`a ${body.length}-byte body answered ${describeResult(result)}, expected 413`);
    const health = await http.send({ method: 'GET', path: params.healthPath, note: 'still up?' });
    if (!health.ok || health.status >= 300) return fail(`after the large body, ${params.healthPath} answered ${describeResult(health)}`);
    return pass(`a ${body.length}-byte body answered ${result.status}`);
  },
};
