import type { CheckDefinition } from './check.ts';
import { malformedJson400 } from './checks/error-handling/malformed-json-400.ts';
import { unknownRoute404 } from './checks/error-handling/unknown-route-404.ts';
import { fullWalk } from './checks/pagination/full-walk.ts';
import { boundary } from './checks/rate-limit/boundary.ts';
import { retryAfter } from './checks/rate-limit/retry-after.ts';
import { healthOk } from './checks/startup/health-ok.ts';

/** Every built-in check, in the order they run within an instance. */
export const CATALOGUE: readonly CheckDefinition[] = [
  healthOk,
  fullWalk,
  unknownRoute404,
  malformedJson400,
  boundary,
  retryAfter,
];

export function findCheck(id: string): CheckDefinition | undefined {
  return CATALOGUE.find((check) => check.id === id);
}
