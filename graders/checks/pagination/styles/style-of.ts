import type { PaginationStyleName } from '../../../../core/pagination-manifest.ts';
import type { CheckContext } from '../../../check.ts';
import { cursorStyle } from './cursor-style.ts';
import { linkStyle } from './link-style.ts';
import { offsetStyle } from './offset-style.ts';
import type { PaginationStyle } from './pagination-style.ts';
import { pageStyle } from './page-style.ts';

const STYLES = { cursor: cursorStyle, offset: offsetStyle, page: pageStyle, link: linkStyle } as const satisfies Record<PaginationStyleName, PaginationStyle>;

/** The strategy for the style the assignment declares. */
export function styleOf(ctx: CheckContext): PaginationStyle {
  return STYLES[ctx.params.pagination.style];
}
