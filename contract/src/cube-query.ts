import { z } from 'zod';

// Cube 0.35's REST query as sent to /v1/load and /v1/sql, the one declaration the runtime (which
// validates every request with it before Cube compiles it), the plugin and the bench share. It
// follows the Joi `cubeQuerySchema` in @cubejs-backend/api-gateway/dist/src/query.js, narrowed to
// what a client of ours needs: member names only (no member expressions, which the REST gateway
// answers with a 500), and every field closed to unknown keys.

export const granularities = ['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'] as const;
export type Granularity = (typeof granularities)[number];

export const filterOperators = [
  'equals',
  'notEquals',
  'contains',
  'notContains',
  'startsWith',
  'notStartsWith',
  'endsWith',
  'notEndsWith',
  'in',
  'notIn',
  'gt',
  'gte',
  'lt',
  'lte',
  'set',
  'notSet',
  'inDateRange',
  'notInDateRange',
  'onTheDate',
  'beforeDate',
  'beforeOrOnDate',
  'afterDate',
  'afterOrOnDate',
  'measureFilter',
] as const;
export type FilterOperator = (typeof filterOperators)[number];

/** The operators that compare a time with dates; they apply to time dimensions only. */
export const dateOperators = [
  'inDateRange',
  'notInDateRange',
  'onTheDate',
  'beforeDate',
  'beforeOrOnDate',
  'afterDate',
  'afterOrOnDate',
] as const satisfies readonly FilterOperator[];

const MEMBER = /^[a-zA-Z0-9_]+\.[a-zA-Z0-9_]+$/;
const MEMBER_WITH_GRANULARITY = new RegExp(`^[a-zA-Z0-9_]+\\.[a-zA-Z0-9_]+(\\.(${granularities.join('|')}))?$`);
const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;
// The shape of an IANA zone name ("UTC", "America/New_York", "Etc/GMT+5"): no quote, space or
// bracket can get through, whatever the zone database says.
const ZONE_NAME = /^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+){0,2}$/;

/** A calendar date (optionally with a time) that exists: 2026-02-30 and 24:61 do not. */
export function isIsoDate(value: string): boolean {
  const match = ISO_DATE_TIME.exec(value);
  if (!match) return false;
  const [year, month, day, hour = 0, minute = 0, second = 0] = match
    .slice(1, 7)
    .map((part) => (part === undefined ? undefined : Number(part)));
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month! - 1 &&
    date.getUTCDate() === day &&
    hour < 24 &&
    minute < 60 &&
    second < 60
  );
}

/** Names ICU has accepted: a finite set, so remembering them cannot grow without bound. */
const knownZones = new Set<string>();

/**
 * An IANA time zone name known to the runtime's zone database (ICU), aliases included. Building
 * a DateTimeFormat costs more than the rest of a query's validation, and every query names a
 * zone, so a name ICU has accepted is remembered.
 */
export function isTimeZoneName(value: string): boolean {
  if (knownZones.has(value)) return true;
  if (!ZONE_NAME.test(value)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: value });
  } catch {
    return false;
  }
  knownZones.add(value);
  return true;
}

const MEMBER_NAME = 'expected a member name such as "customers.count"';
/** An object's own message for a value that is not an object; zod's for an unknown key, which it names. */
const notAnObject = (message: string) => (issue: { code: string }) => (issue.code === 'invalid_type' ? message : undefined);
const member = z.string({ error: MEMBER_NAME }).regex(MEMBER, MEMBER_NAME);
const isoDate = z.string().refine(isIsoDate, 'expected a date "YYYY-MM-DD", optionally with a time "THH:MM:SS"');
const absoluteRange = z.union([z.tuple([isoDate]), z.tuple([isoDate, isoDate])], {
  error: 'expected ["YYYY-MM-DD", "YYYY-MM-DD"] (a time may follow each date) or a relative range such as "last 7 days"',
});
/** A relative range ("last 7 days", "from 3 days ago to now"), which Cube's date parser resolves. */
const relativeRange = z.string().min(1, 'expected a relative range such as "last 7 days"');
const dateRange = z.union([relativeRange, absoluteRange], {
  error: 'expected ["YYYY-MM-DD", "YYYY-MM-DD"] (a time may follow each date) or a relative range such as "last 7 days"',
});

export const cubeTimeDimensionSchema = z
  .strictObject(
    {
      dimension: member,
      granularity: z
        .enum(granularities, { error: `expected one of ${granularities.join(', ')}` })
        .nullable()
        .optional(),
      dateRange: dateRange.optional(),
      compareDateRange: z.array(dateRange).min(1, 'expected at least one date range').optional(),
    },
    { error: notAnObject('expected a time dimension { "dimension": "cube.time", "granularity": …, "dateRange": … }') },
  )
  .refine((td) => td.dateRange === undefined || td.compareDateRange === undefined, 'give either dateRange or compareDateRange, not both');
export type CubeTimeDimension = z.infer<typeof cubeTimeDimensionSchema>;

const filterValue = z.union([z.string(), z.number(), z.boolean(), z.null()], { error: 'expected a string, number, boolean or null' });

export const cubeFilterSchema = z.strictObject(
  {
    member: member.optional(),
    dimension: member.optional(),
    operator: z.enum(filterOperators, { error: `expected one of ${filterOperators.join(', ')}` }),
    values: z.array(filterValue).optional(),
  },
  { error: notAnObject('expected a filter { "member": …, "operator": …, "values": […] } or a group { "or": […] } / { "and": […] }') },
);
export type CubeFilter = z.infer<typeof cubeFilterSchema>;

export interface CubeFilterGroup {
  or?: CubeFilterOrGroup[];
  and?: CubeFilterOrGroup[];
}
export type CubeFilterOrGroup = CubeFilter | CubeFilterGroup;

export const cubeFilterGroupSchema: z.ZodType<CubeFilterGroup> = z.strictObject({
  get or() {
    return z.array(cubeFilterOrGroupSchema).optional();
  },
  get and() {
    return z.array(cubeFilterOrGroupSchema).optional();
  },
});

const isGroupLike = (value: unknown) => typeof value === 'object' && value !== null && ('or' in value || 'and' in value);

/**
 * A filter or a group of them. The choice is made on the keys ("or"/"and" make a group), not by
 * trying both as a union would, so a mistake is reported against the form the client meant.
 */
export const cubeFilterOrGroupSchema: z.ZodType<CubeFilterOrGroup, unknown> = z.unknown().transform((value, ctx): CubeFilterOrGroup => {
  const group = isGroupLike(value);
  const parsed = (group ? cubeFilterGroupSchema : cubeFilterSchema).safeParse(value);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) ctx.addIssue({ ...issue, path: issue.path } as Parameters<typeof ctx.addIssue>[0]);
    return z.NEVER;
  }
  const filter = parsed.data as CubeFilterOrGroup;
  if ('operator' in filter) {
    if ((filter.member === undefined) === (filter.dimension === undefined))
      ctx.addIssue({ code: 'custom', message: 'give exactly one of "member" or "dimension"' });
  } else if ((filter.or === undefined) === (filter.and === undefined)) {
    ctx.addIssue({ code: 'custom', message: 'a filter group has exactly one of "or" or "and"' });
  }
  return filter;
});

const DIMENSION_NAME = 'expected a dimension name such as "customers.plan" (or "customers.signup_at.month")';
const direction = z.enum(['asc', 'desc'], { error: 'expected "asc" or "desc"' });
const order = z.union([z.record(member, direction), z.array(z.tuple([member, direction]))], {
  error: 'expected { "member": "asc" | "desc" } or [["member", "asc" | "desc"], …]',
});

export const cubeQuerySchema = z.strictObject(
  {
    measures: z.array(member).optional(),
    dimensions: z.array(z.string({ error: DIMENSION_NAME }).regex(MEMBER_WITH_GRANULARITY, DIMENSION_NAME)).optional(),
    segments: z.array(member).optional(),
    timeDimensions: z.array(cubeTimeDimensionSchema).optional(),
    filters: z.array(cubeFilterOrGroupSchema).optional(),
    order: order.optional(),
    limit: z.number().int().min(0).optional(),
    offset: z.number().int().min(0).optional(),
    total: z.boolean().optional(),
    ungrouped: z.boolean().optional(),
    renewQuery: z.boolean().optional(),
    responseFormat: z.enum(['default', 'compact'], { error: 'expected "default" or "compact"' }).optional(),
    timezone: z.string().refine(isTimeZoneName, 'expected an IANA time zone name such as "UTC" or "America/New_York"').optional(),
  },
  { error: notAnObject('expected a query object { "measures": […], "dimensions": […], … }') },
);
export type CubeQuery = z.infer<typeof cubeQuerySchema>;
