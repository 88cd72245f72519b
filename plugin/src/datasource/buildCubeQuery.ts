import { withDashboardRange, type TimeRange } from '@engagement/contract';
import { rangeOperators, unaryOperators, type CubeFilter, type CubeQuery, type QueryFilter, type QueryModel } from './types';

export interface BuildContext {
  /** The dashboard's time range; used, widened to whole periods, when the query names no range of its own. */
  range?: TimeRange;
  /** Extra filters (ad-hoc), already in Cube's form. */
  extraFilters?: CubeFilter[];
}

/**
 * Editor state → Cube REST query. Incomplete rows (a filter without a member, an operator that
 * needs values but has none) are left out, so a half-edited query still runs.
 */
export function buildCubeQuery(model: QueryModel, context: BuildContext = {}): CubeQuery {
  const query: CubeQuery = { timezone: 'UTC' };
  const nonEmpty = (members: string[]) => members.filter((m) => m.trim() !== '');

  if (nonEmpty(model.measures).length) query.measures = nonEmpty(model.measures);
  if (nonEmpty(model.dimensions).length) query.dimensions = nonEmpty(model.dimensions);
  if (nonEmpty(model.segments).length) query.segments = nonEmpty(model.segments);

  const time = model.timeDimension;
  if (time?.dimension) {
    // Without a range of its own, the query takes the dashboard's (withDashboardRange, below).
    const dateRange = time.dateRange?.trim();
    query.timeDimensions = [
      {
        dimension: time.dimension,
        ...(time.granularity ? { granularity: time.granularity } : {}),
        ...(dateRange ? { dateRange } : {}),
      },
    ];
  }

  const filters = [...model.filters.filter(isComplete).map(toCubeFilter), ...(context.extraFilters ?? [])];
  if (filters.length) query.filters = filters;

  const order = model.order.filter((o) => o.member);
  if (order.length) query.order = order.map((o): [string, typeof o.direction] => [o.member, o.direction]);
  if (model.limit) query.limit = model.limit;
  return context.range ? withDashboardRange(query, context.range) : query;
}

export function isComplete(filter: QueryFilter): boolean {
  if (!filter.member) return false;
  if (unaryOperators.includes(filter.operator)) return true;
  const values = filter.values.filter((v) => v !== '');
  return rangeOperators.includes(filter.operator) ? values.length === 2 : values.length > 0;
}

function toCubeFilter(filter: QueryFilter): CubeFilter {
  if (unaryOperators.includes(filter.operator)) return { member: filter.member, operator: filter.operator };
  return { member: filter.member, operator: filter.operator, values: filter.values.filter((v) => v !== '') };
}

/** Every member a query names: used to scope ad-hoc filters and to validate dashboards. */
export function membersOf(model: QueryModel): string[] {
  return [
    ...model.measures,
    ...model.dimensions,
    ...model.segments,
    ...(model.timeDimension?.dimension ? [model.timeDimension.dimension] : []),
    ...model.filters.map((f) => f.member),
    ...model.order.map((o) => o.member),
  ].filter(Boolean);
}
