import type { DataQuery, DataSourceJsonData } from '@grafana/data';
import { z } from 'zod';

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

export type FilterOperator = (typeof filterOperators)[number];

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

/** The query model the editor writes and the data source reads; dashboards store it as JSON. */
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
export type Granularity = (typeof granularities)[number];

export interface CubeQuery extends DataQuery, Partial<QueryModel> {}

export const variableQuerySchema = z.object({
  dimension: z.string().min(1, 'choose a dimension to list values of'),
  limit: z.number().int().positive().default(1000),
});

export interface CubeVariableQuery extends DataQuery {
  dimension?: string;
  limit?: number;
}

/** Parses a stored query, naming the field that is wrong. */
export function parseQueryModel(query: unknown): QueryModel {
  const parsed = queryModelSchema.safeParse(query);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0]!;
  throw new Error(`Invalid Cube query: ${issue.path.join('.') || '(root)'}: ${issue.message}`);
}

export interface CubeDataSourceOptions extends DataSourceJsonData {
  /** Cube's base URL as Grafana's server reaches it, e.g. http://cube:4000 (without /cubejs-api). */
  cubeUrl?: string;
}

export interface CubeSecureJsonData {
  /** A pre-minted Cube token for one tenant; Grafana adds it to proxied requests. */
  token?: string;
}

/** Cube's REST query, as sent to /v1/load and /v1/sql. */
export interface CubeApiFilter {
  member: string;
  operator: FilterOperator;
  values?: string[];
}

export interface CubeApiQuery {
  measures?: string[];
  dimensions?: string[];
  segments?: string[];
  timeDimensions?: Array<{ dimension: string; granularity?: Granularity; dateRange?: string | [string, string] }>;
  filters?: CubeApiFilter[];
  order?: Array<[string, 'asc' | 'desc']>;
  limit?: number;
  timezone?: string;
}
