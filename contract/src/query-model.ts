import { z } from 'zod';
import { filterOperators, granularities, type CubeFilter, type CubeQuery, type FilterOperator } from './cube-query.js';

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
 * Version 1 of the saved panel target, which the plugin's editor wrote until saved targets held
 * Cube's own query (saved-target.ts); stored dashboards in this form migrate on load.
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
  /** A time dimension of the same view: only values seen within the dashboard's range. */
  timeDimension: z.string().optional(),
  limit: z.number().int().positive().default(1000),
});

/** Parses a stored query, naming the field that is wrong. */
export function parseQueryModel(query: unknown): QueryModel {
  const parsed = queryModelSchema.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(`Invalid Cube query: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

/**
 * Version 1 editor state → Cube REST query, without a range. Incomplete rows (a filter without a
 * member, an operator that needs values but has none) are left out, so a half-edited query ran.
 */
export function cubeQueryOfModel(model: QueryModel): CubeQuery {
  const query: CubeQuery = { timezone: 'UTC' };
  const nonEmpty = (members: string[]) => members.filter((m) => m.trim() !== '');

  if (nonEmpty(model.measures).length) query.measures = nonEmpty(model.measures);
  if (nonEmpty(model.dimensions).length) query.dimensions = nonEmpty(model.dimensions);
  if (nonEmpty(model.segments).length) query.segments = nonEmpty(model.segments);

  const time = model.timeDimension;
  if (time?.dimension) {
    const dateRange = time.dateRange?.trim();
    query.timeDimensions = [
      {
        dimension: time.dimension,
        ...(time.granularity ? { granularity: time.granularity } : {}),
        ...(dateRange ? { dateRange } : {}),
      },
    ];
  }

  const filters = model.filters.filter(isComplete).map(toCubeFilter);
  if (filters.length) query.filters = filters;

  const order = model.order.filter((o) => o.member);
  if (order.length) query.order = order.map((o): [string, typeof o.direction] => [o.member, o.direction]);
  if (model.limit) query.limit = model.limit;
  return query;
}

function isComplete(filter: QueryFilter): boolean {
  if (!filter.member) return false;
  if (unaryOperators.includes(filter.operator)) return true;
  const values = filter.values.filter((v) => v !== '');
  return rangeOperators.includes(filter.operator) ? values.length === 2 : values.length > 0;
}

function toCubeFilter(filter: QueryFilter): CubeFilter {
  if (unaryOperators.includes(filter.operator)) return { member: filter.member, operator: filter.operator };
  return { member: filter.member, operator: filter.operator, values: filter.values.filter((v) => v !== '') };
}
