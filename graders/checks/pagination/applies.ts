import type { PaginationStyleName } from '../../../core/pagination-manifest.ts';
import type { CheckParams } from '../../../core/check-params.ts';

/** notApplicable for checks of some styles only. */
export const onlyFor =
  (...styles: PaginationStyleName[]) =>
  (params: CheckParams): string | null =>
    styles.includes(params.pagination.style) ? null : `the assignment declares ${params.pagination.style} pagination; this check is for ${styles.join(' and ')}`;
