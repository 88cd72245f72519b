import { z } from 'zod';

/**
 * Cube's REST query as sent to /v1/load and /v1/sql: the one declaration the runtime, the
 * plugin and the bench share. Only the fields we send; Cube's gateway validates the rest.
 */

export const granularities = ['second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year'] as const;

/** Every filter operator Cube 0.35 accepts (its API gateway's list). */
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

export type Granularity = (typeof granularities)[number];
export type FilterOperator = (typeof filterOperators)[number];

const member = z.string().min(1);
const direction = z.enum(['asc', 'desc']);

export const cubeFilterSchema = z.object({
  member,
  operator: z.enum(filterOperators),
  values: z.array(z.string()).optional(),
});

export const cubeTimeDimensionSchema = z.object({
  dimension: member,
  granularity: z.enum(granularities).optional(),
  /** A relative range ("last 12 months") or [from, to] as local date-times in the query's timezone. */
  dateRange: z.union([z.string(), z.tuple([z.string(), z.string()])]).optional(),
});

export const cubeQuerySchema = z.object({
  measures: z.array(member).optional(),
  dimensions: z.array(member).optional(),
  segments: z.array(member).optional(),
  timeDimensions: z.array(cubeTimeDimensionSchema).optional(),
  filters: z.array(cubeFilterSchema).optional(),
  /** Cube takes both forms: [[member, direction], …] keeps the order of the keys explicit. */
  order: z.union([z.array(z.tuple([member, direction])), z.record(member, direction)]).optional(),
  limit: z.number().int().positive().optional(),
  timezone: z.string().optional(),
});

export type CubeFilter = z.infer<typeof cubeFilterSchema>;
export type CubeTimeDimension = z.infer<typeof cubeTimeDimensionSchema>;
export type CubeQuery = z.infer<typeof cubeQuerySchema>;
