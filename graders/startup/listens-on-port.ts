import type { Evidence } from '../../core/report.ts';
import type { CheckDefinition, CheckOutcome } from '../check.ts';

export type PortCheckDefinition = Omit<CheckDefinition, 'run' | 'instance' | 'isolation'> & {
  evaluate(expected: number, actual: number, evidence: readonly Evidence[]): CheckOutcome & { evidence: Evidence[] };
};

/**
 * Judged by the harness from readiness: the server must listen on $PORT. One that listens
 * on exactly one other port fails this check and nothing else, since the rest of it is
 * graded on the port it chose.
 */
export const listensOnPort: PortCheckDefinition = {
  id: 'startup.listens-on-port',
  area: 'startup',
  tier: 'must',
  title: 'Listens on the port given in $PORT',
  points: 5,
  standard: 'Assignment contract: "listen on the port in the PORT environment variable" (twelve-factor app, VII. Port binding)',
  accepted: 'the first port that answers HTTP is the one in $PORT',
  evaluate(expected, actual, evidence) {
    const found = [...evidence, { note: `$PORT was ${expected}; the server answered on ${actual}` }];
    if (actual === expected) return { status: 'pass', message: `answered on $PORT (${expected})`, evidence: found };
    return { status: 'fail', message: `listens on port ${actual}, not on $PORT (${expected}); the other checks were graded on port ${actual}`, evidence: found };
  },
};
