import type { CheckDefinition } from './check.ts';
import { bodyTooLarge } from './checks/error-handling/body-too-large.ts';
import { consistentShape } from './checks/error-handling/consistent-shape.ts';
import { contentType } from './checks/error-handling/content-type.ts';
import { malformedJson400 } from './checks/error-handling/malformed-json-400.ts';
import { methodNotAllowed } from './checks/error-handling/method-not-allowed.ts';
import { noLeaks } from './checks/error-handling/no-leaks.ts';
import { problemDetails } from './checks/error-handling/problem-details.ts';
import { robustness } from './checks/error-handling/robustness.ts';
import { unknownId404 } from './checks/error-handling/unknown-id-404.ts';
import { unknownRoute404 } from './checks/error-handling/unknown-route-404.ts';
import { validation } from './checks/error-handling/validation.ts';
import { deepPage } from './checks/pagination/deep-page.ts';
import { emptyCollection } from './checks/pagination/empty-collection.ts';
import { endOfList } from './checks/pagination/end-of-list.ts';
import { firstPage } from './checks/pagination/first-page.ts';
import { fullWalk } from './checks/pagination/full-walk.ts';
import { hasMore } from './checks/pagination/has-more.ts';
import { invalidOffset } from './checks/pagination/invalid-offset.ts';
import { invalidPage } from './checks/pagination/invalid-page.ts';
import { pageSize } from './checks/pagination/page-size.ts';
import { pastEnd } from './checks/pagination/past-end.ts';
import { totalCount } from './checks/pagination/total-count.ts';
import { invalidCursor } from './checks/pagination/invalid-cursor.ts';
import { limitBounds } from './checks/pagination/limit-bounds.ts';
import { linkHeader } from './checks/pagination/link-header.ts';
import { stableWalks } from './checks/pagination/stable-walks.ts';
import { tamperedCursor } from './checks/pagination/tampered-cursor.ts';
import { writesDuringWalk } from './checks/pagination/writes-during-walk.ts';
import { abuse } from './checks/rate-limit/abuse.ts';
import { algorithm } from './checks/rate-limit/algorithm.ts';
import { boundary } from './checks/rate-limit/boundary.ts';
import { concurrency } from './checks/rate-limit/concurrency.ts';
import { errorShape429 } from './checks/rate-limit/error-shape.ts';
import { headersConsistent } from './checks/rate-limit/headers-consistent.ts';
import { healthExempt } from './checks/rate-limit/health-exempt.ts';
import { isolation } from './checks/rate-limit/isolation.ts';
import { recovery } from './checks/rate-limit/recovery.ts';
import { retryAfter } from './checks/rate-limit/retry-after.ts';
import { spoofing } from './checks/rate-limit/spoofing.ts';
import { healthOk } from './checks/startup/health-ok.ts';

/** Every built-in check, in report order. Shared-instance checks run in this order too. */
export const CATALOGUE: readonly CheckDefinition[] = [
  healthOk,
  // rate limiting
  boundary,
  retryAfter,
  recovery,
  isolation,
  concurrency,
  healthExempt,
  spoofing,
  headersConsistent,
  errorShape429,
  algorithm,
  abuse,
  // pagination
  fullWalk,
  pageSize,
  endOfList,
  pastEnd,
  firstPage,
  totalCount,
  hasMore,
  limitBounds,
  invalidCursor,
  invalidOffset,
  invalidPage,
  writesDuringWalk,
  emptyCollection,
  tamperedCursor,
  linkHeader,
  stableWalks,
  deepPage,
  // error handling
  unknownRoute404,
  unknownId404,
  malformedJson400,
  validation,
  noLeaks,
  bodyTooLarge,
  contentType,
  robustness,
  methodNotAllowed,
  consistentShape,
  problemDetails,
];

export function findCheck(id: string): CheckDefinition | undefined {
  return CATALOGUE.find((check) => check.id === id);
}
