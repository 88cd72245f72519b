import { z } from 'zod';
import { filterOperators, granularities, type FilterOperator } from './cube-query.js';

/** Operators that take no values. */
export const unaryOperators: readonly FilterOperator[] = ['set', 'notSet', 'measureFilter'];
/** Operators that take exactly two values (a date range). */
export const rangeOperators: readonly FilterOperator[] = ['inDateRange', 'notInDateRange'];

const filterSchema = z.object({
  member: z.string(),
  operator: z.enum(filterOperators),
  values: z.array(z.string()).default([]),
});

const timeDimensionSchema = z.object({
  dimension: z.string(),
  /** Absent: filter by the date range without grouping by time. */
  granularity: z.enum(granularities).optional(),
  /** A Cube relative range ("last 12 months") that replaces the dashboard's time range. */
  dateRange: z.string().optional(),
});

/**
 * The query model the plugin's editor writes and its data source reads; dashboards store it as
 * JSON, and the bench and tests read the provisioned dashboards through it.
 */
export const queryModelSchema = z.object({
  measures: z.array(z.string()).default([]),
  dimensions: z.array(z.string()).default([]),
  timeDimension: timeDimensionSchema.optional(),
  filters: z.array(filterSchema).default([]),
  segments: z.array(z.string()).default([]),
  order: z.array(z.object({ member: z.string(), direction: z.enum(['asc', 'desc']) })).default([]),
  limit: z.number().int().positive().optional(),
  /** auto: a time series when a time dimension has a granularity, else a table. */
  format: z.enum(['auto', 'time_series', 'table']).default('auto'),
});

export type QueryModel = z.infer<typeof queryModelSchema>;
export type QueryFilter = z.infer<typeof filterSchema>;

/** A variable query: list the values of one dimension. */
export const variableQuerySchema = z.object({
  dimension: z.string().min(1, 'choose a dimension to list values of'),
  limit: z.number().int().positive().default(1000),
});

/** Parses a stored query, naming the field that is wrong. */
export function parseQueryModel(query: unknown): QueryModel {
  const parsed = queryModelSchema.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(`Invalid Cube query: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}
