import { InvalidQueryError } from './error.js';
import { countPeriods } from './periods.js';
import type { CubeFilter, CubeFilterOrGroup, CubeQuery, CubeTimeDimension } from '@engagement/contract';

/** What one request may ask for; each bound is set by the environment variable named in its message. */
export interface QueryLimits {
  /** Time buckets (granularity × date range) per query: QUERY_MAX_PERIODS. */
  maxPeriods: number;
  /** Periods of a rolling-window measure's time series: QUERY_MAX_ROLLING_PERIODS (postgres-dialect.ts). */
  maxRollingPeriods: number;
  /** Queries one request makes (an array's length, or compareDateRange's ranges): QUERY_MAX_QUERIES. */
  maxQueries: number;
  /** Measures, dimensions, segments, time dimensions, filters and order entries per query: QUERY_MAX_MEMBERS. */
  maxMembers: number;
  /** Values of one filter: QUERY_MAX_FILTER_VALUES. */
  maxFilterValues: number;
  /** Values of all filters of a request: QUERY_MAX_TOTAL_FILTER_VALUES. */
  maxTotalFilterValues: number;
  /** Nested and/or filter groups: QUERY_MAX_FILTER_DEPTH. */
  maxFilterDepth: number;
  /** Request body, in bytes: QUERY_MAX_BODY_BYTES. */
  maxBodyBytes: number;
  /** Request URL (a GET's query string), in bytes: QUERY_MAX_URL_BYTES. */
  maxUrlBytes: number;
}

/** A relative range ("last 2 years") resolved the way Cube will, in the query's time zone. */
export type ResolveRange = (range: string, timezone: string) => [string, string];

const count = (n: number) => n.toLocaleString('en-US');

/** What a refusal for a limit says: what the query asks, the limit and its variable, and what to do. */
export function tooLarge(what: string, limit: number, variable: string, advice: string): string {
  return `Query too large: ${what}; the limit is ${count(limit)} (${variable}). ${advice}`;
}

function refuse(what: string, limit: number, variable: string, advice: string): never {
  throw new InvalidQueryError(tooLarge(what, limit, variable, advice));
}

/** Every leaf filter, however nested (depth is bounded before this runs). */
export function leafFilters(filters: readonly CubeFilterOrGroup[]): { filter: CubeFilter; path: string }[] {
  const leaves: { filter: CubeFilter; path: string }[] = [];
  // Children go on the stack last first, so leaves come out in the query's order.
  const stack = filters.map((filter, index) => ({ filter, path: `filters[${index}]` })).reverse();
  while (stack.length) {
    const { filter, path } = stack.pop()!;
    if ('operator' in filter) {
      leaves.push({ filter, path });
    } else {
      const [key, children] = filter.or ? ['or', filter.or] : ['and', filter.and ?? []];
      for (let index = children.length - 1; index >= 0; index -= 1)
        stack.push({ filter: children[index]!, path: `${path}.${key}[${index}]` });
    }
  }
  return leaves;
}

/**
 * Granularities whose periods in a year (525,600 minutes) outnumber QUERY_MAX_PERIODS: without a
 * date range nothing bounds them but the data (one tenant's minutes of a year of events).
 */
const SUB_DAY: readonly string[] = ['second', 'minute', 'hour'];

/** Refuses a granularity finer than a day that has no date range to count its periods in. */
function assertBoundedGrain(query: CubeQuery, at: string, limits: QueryLimits): void {
  const refuseGrain = (where: string, granularity: string) =>
    refuse(
      `${at}${where} has granularity "${granularity}" and no dateRange, so its periods are not bounded`,
      limits.maxPeriods,
      'QUERY_MAX_PERIODS',
      'A granularity finer than a day (second, minute, hour) needs a dateRange (or compareDateRange).',
    );
  (query.timeDimensions ?? []).forEach((td, index) => {
    if (td.granularity && SUB_DAY.includes(td.granularity) && td.dateRange === undefined && td.compareDateRange === undefined) {
      refuseGrain(`timeDimensions[${index}]`, td.granularity);
    }
  });
  // `dimensions: ["cube.time.minute"]` is the same grain with no place for a range at all.
  (query.dimensions ?? []).forEach((name, index) => {
    const granularity = name.split('.')[2];
    if (granularity && SUB_DAY.includes(granularity)) refuseGrain(`dimensions[${index}]`, granularity);
  });
}

/** Resolves every range (so that one Cube cannot read is refused here), and counts the periods. */
function periodsOf(td: CubeTimeDimension, timezone: string, resolve: ResolveRange): number {
  const ranges = td.compareDateRange ?? (td.dateRange === undefined ? [] : [td.dateRange]);
  return ranges.reduce((sum, range) => {
    const absolute = typeof range === 'string' ? resolve(range, timezone) : ([range[0], range[1] ?? range[0]] as [string, string]);
    return sum + (td.granularity ? countPeriods(absolute, td.granularity) : 0);
  }, 0);
}

/** Refuses a request whose cost is out of bounds, naming the limit and its variable. */
export function assertWithinLimits(queries: readonly CubeQuery[], limits: QueryLimits, resolve: ResolveRange): void {
  const fanOut = queries.reduce(
    (sum, query) => sum + Math.max(1, ...(query.timeDimensions ?? []).map((td) => td.compareDateRange?.length ?? 1)),
    0,
  );
  if (fanOut > limits.maxQueries) {
    refuse(
      `this request makes ${count(fanOut)} queries (array entries and compareDateRange ranges)`,
      limits.maxQueries,
      'QUERY_MAX_QUERIES',
      'Send fewer queries per request.',
    );
  }
  let totalValues = 0;
  queries.forEach((query, index) => {
    const at = queries.length > 1 ? `query [${index}]: ` : '';
    const leaves = leafFilters(query.filters ?? []);
    const members =
      (query.measures?.length ?? 0) +
      (query.dimensions?.length ?? 0) +
      (query.segments?.length ?? 0) +
      (query.timeDimensions?.length ?? 0) +
      leaves.length +
      (Array.isArray(query.order) ? query.order.length : Object.keys(query.order ?? {}).length);
    if (members > limits.maxMembers) {
      refuse(
        `${at}${count(members)} members (measures, dimensions, segments, time dimensions, filters and order entries)`,
        limits.maxMembers,
        'QUERY_MAX_MEMBERS',
        'Split the query.',
      );
    }
    for (const { filter, path } of leaves) {
      const values = filter.values?.length ?? 0;
      if (values > limits.maxFilterValues) {
        refuse(
          `${at}${path} has ${count(values)} values`,
          limits.maxFilterValues,
          'QUERY_MAX_FILTER_VALUES',
          'Filter on a coarser dimension instead.',
        );
      }
      totalValues += values;
    }
    assertBoundedGrain(query, at, limits);
    const periods = (query.timeDimensions ?? []).reduce((sum, td) => sum + periodsOf(td, query.timezone ?? 'UTC', resolve), 0);
    if (periods > limits.maxPeriods) {
      refuse(
        `${at}the time dimensions make ${count(periods)} periods (granularity × date range)`,
        limits.maxPeriods,
        'QUERY_MAX_PERIODS',
        'Choose a coarser granularity or a shorter dateRange.',
      );
    }
  });
  if (totalValues > limits.maxTotalFilterValues) {
    refuse(
      `the filters have ${count(totalValues)} values in all`,
      limits.maxTotalFilterValues,
      'QUERY_MAX_TOTAL_FILTER_VALUES',
      'Filter on a coarser dimension instead.',
    );
  }
}
