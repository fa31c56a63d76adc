import type { CheckResult } from '../../core/report.ts';
import type { CheckDefinition } from '../../graders/check.ts';
import { LOAD_CHECKS } from '../../graders/load/load-checks.ts';
import { SECURITY_CHECK_IDS } from '../../graders/security/security-checks.ts';
import { listensOnPort } from '../../graders/startup/listens-on-port.ts';

/**
 * Built-in and custom checks, then each suite's tests (a suite's tests share its position,
 * and the stable sort keeps the order they ran in), the memory verdict, the load verdicts.
 */
export function orderLikeCatalogue(results: readonly CheckResult[], catalogue: readonly CheckDefinition[], suiteIds: readonly string[]): CheckResult[] {
  const order = [listensOnPort.id, ...catalogue.map((check) => check.id), ...suiteIds, 'resources.peak-memory', ...LOAD_CHECKS.map((check) => check.id), ...SECURITY_CHECK_IDS];
  const position = (id: string) => {
    const suiteId = suiteIds.find((candidate) => id === candidate || id.startsWith(`${candidate}.`));
    const index = order.indexOf(suiteId ?? id);
    return index >= 0 ? index : order.length;
  };
  return [...results].sort((a, b) => position(a.id) - position(b.id));
}
