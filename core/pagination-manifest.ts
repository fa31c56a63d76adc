import { z } from 'zod';
import { strictObject } from './strict-object.ts';

/** Names a value inside a JSON body: `data`, `meta.total`; `.` is the body itself (a bare array). */
export const fieldPath = z
  .string()
  .regex(/^(\.|[^.\s]+(\.[^.\s]+)*)$/, 'expected a field path such as data or meta.total, or "." for the body itself')
  .meta({ examples: ['data', 'meta.total', '.'] });

const param = (dflt: string, description: string) => z.string().min(1).default(dflt).meta({ description, examples: [dflt] });

/**
 * What every style declares: where the items are, how big a page is, what order a walk
 * returns, and the optional metadata the API reports beside the items.
 */
const common = {
  limitParam: param('limit', 'Query parameter for the page size.'),
  itemsField: fieldPath.default('data').meta({
    description: 'Where the page\'s items are in the body: a field path, or "." when the body is a bare array.',
    examples: ['data', 'results', '.'],
  }),
  totalField: fieldPath.optional().meta({ description: 'Field holding the number of items in the whole collection, when the API reports one; checked against a walk.', examples: ['total', 'meta.total'] }),
  hasMoreField: fieldPath.optional().meta({ description: 'Boolean field saying whether another page follows (Stripe\'s has_more); checked on every page of a walk.', examples: ['has_more'] }),
  pageCountField: fieldPath.optional().meta({ description: 'Field holding the number of pages at the requested size; checked against a walk.', examples: ['total_pages', 'meta.pages'] }),
  pageSize: z.number().int().min(1).default(10).meta({ description: 'Page size the walk checks request.', examples: [10] }),
  seedCount: z.number().int().min(1).max(5000).default(53).meta({ description: 'Items created (or, with items.seeded, expected) for the full-walk check; best not a multiple of pageSize.', examples: [53] }),
  defaultLimit: z.number().int().min(1).default(20).meta({ description: 'Page size when the client sends no limit parameter.', examples: [20] }),
  maxLimit: z.number().int().min(1).default(100).meta({ description: 'Largest page size the API accepts.', examples: [100] }),
  invalidLimit: z.enum(['reject', 'reject-or-clamp', 'reject-clamp-or-default']).default('reject').meta({
    description:
      '`reject`: out-of-range or malformed limits must be 400 (or errors.validationStatuses); `reject-or-clamp` also accepts a page clamped into 1..maxLimit for numbers; `reject-clamp-or-default` also accepts the default page for any invalid value (what `parseInt(limit) || 20` does).',
    examples: ['reject-or-clamp'],
  }),
  order: strictObject({
    by: z.array(fieldPath).default(['created_at', 'id']).meta({
      description: 'Fields a walk is sorted by, most significant first; timestamps compare as instants, numbers as numbers. Empty: any order, only exactly once.',
      examples: [['created_at', 'id'], ['id'], []],
    }),
    direction: z.enum(['asc', 'desc']).default('asc').meta({ description: 'Ascending (oldest first) or descending (newest first).', examples: ['desc'] }),
  })
    .prefault({})
    .meta({ description: 'The order a full walk must return items in.' }),
};

/** Offset and page numbers: what an invalid value (negative, not a number) may get. */
const invalidPosition = z.enum(['reject', 'reject-or-ignore']).default('reject').meta({
  description: '`reject`: a negative or non-numeric position must answer 400 (or one of errors.validationStatuses); `reject-or-ignore` also accepts a 200 that serves the first page.',
  examples: ['reject-or-ignore'],
});
const pastEnd = z.enum(['empty', 'empty-or-404']).default('empty').meta({
  description: 'A position past the last item: `empty` must answer 200 with no items; `empty-or-404` also accepts 404.',
  examples: ['empty-or-404'],
});

/** What offset and page-number styles share: a position that writes before it shift by nature. */
const positionFields = (what: string) => ({
  invalidPosition,
  pastEnd,
  stableUnderWrites: z.boolean().default(false).meta({
    description: `Demand that writes during a walk do not shift pages; by default a shift is reported as information, as ${what} cannot promise it.`,
    examples: [false],
  }),
});

/** The fields only one style has: naming one under another style is mixing styles. */
const STYLE_ONLY: Record<string, string> = {
  cursorParam: 'cursor',
  nextFrom: 'cursor',
  nextField: 'cursor',
  offsetParam: 'offset',
  pageParam: 'page',
  firstPage: 'page',
};
const elsewhere = (style: string): Record<string, string> =>
  Object.fromEntries(
    Object.entries(STYLE_ONLY)
      .filter(([, owner]) => owner !== style)
      .map(([key, owner]) => [key, `is a field of pagination style ${owner}, but this pagination is style ${style}: the styles do not mix`]),
  );

/** Opaque token: keyset pagination can and must be exact under writes. */
export const cursorStyleSchema = strictObject({
  style: z.literal('cursor').meta({ examples: ['cursor'], description: 'An opaque token from the previous page (the default style).' }),
  ...common,
  cursorParam: param('cursor', 'Query parameter that carries the cursor.'),
  nextFrom: z.enum(['body', 'link-header']).default('body').meta({
    description: 'Where the next pointer lives: a body field, or an RFC 8288 `Link: <…>; rel="next"` header.',
    examples: ['link-header'],
  }),
  nextField: fieldPath.default('next_cursor').meta({ description: 'Body field holding the next cursor; null, absent or "" on the last page.', examples: ['next_cursor', 'next_page_token', 'meta.next'] }),
  stableUnderWrites: z.boolean().default(true).meta({
    description: 'Whether items created or deleted during a walk must not skip or repeat others: true for keyset cursors.',
    examples: [true],
  }),
}, elsewhere('cursor'));

/** `?offset=20&limit=10` (or `skip`): a position, which writes before it shift by nature. */
export const offsetStyleSchema = strictObject({
  style: z.literal('offset').meta({ examples: ['offset'], description: 'A numeric offset (or skip) plus a limit.' }),
  ...common,
  offsetParam: param('offset', 'Query parameter for the number of items to skip.'),
  ...positionFields('offset pagination'),
}, elsewhere('offset'));

/** `?page=2&size=10`: a page number, 0- or 1-based. */
export const pageStyleSchema = strictObject({
  style: z.literal('page').meta({ examples: ['page'], description: 'A page number plus a page size.' }),
  ...common,
  pageParam: param('page', 'Query parameter for the page number.'),
  firstPage: z.union([z.literal(0), z.literal(1)]).default(1).meta({ description: 'Number of the first page: 1 (usual) or 0.', examples: [1, 0] }),
  ...positionFields('page numbers'),
}, elsewhere('page'));

/** GitHub-style: the client follows `Link: <…>; rel="next"` and builds no URL itself. */
export const linkStyleSchema = strictObject({
  style: z.literal('link').meta({ examples: ['link'], description: 'Follow RFC 8288 Link rel="next" headers only; the URLs are the server\'s business.' }),
  ...common,
  stableUnderWrites: z.boolean().default(false).meta({
    description: 'Demand that writes during a walk neither skip nor repeat items (true when the links carry keyset cursors).',
    examples: [false],
  }),
}, elsewhere('link'));

export const PAGINATION_STYLES = ['cursor', 'offset', 'page', 'link'] as const;
export type PaginationStyleName = (typeof PAGINATION_STYLES)[number];

/** A manifest without `style` is the built-in contract's cursor style. */
export const paginationSchema = z
  .preprocess(
    (value) => (value && typeof value === 'object' && !Array.isArray(value) && !('style' in value) ? { ...value, style: 'cursor' } : value),
    z.discriminatedUnion('style', [cursorStyleSchema, offsetStyleSchema, pageStyleSchema, linkStyleSchema], {
      error: (issue) => (issue.code === 'invalid_union' ? `expected style ${PAGINATION_STYLES.join(' | ')}` : undefined),
    }),
  )
  .prefault({})
  .meta({ description: 'How the list endpoint pages: `style` picks the strategy and the fields it takes; a field of another style is an error.' });
export type Pagination = z.infer<typeof paginationSchema>;
