import type { CubeFilterOrGroup, CubeQuery } from './types';

/** The member a filter names ("member", or Cube's older "dimension"). */
export const filterMember = (filter: { member?: string; dimension?: string }) => filter.member ?? filter.dimension ?? '';

/** Every leaf filter of a filter list, inside AND/OR groups too. */
export function leafFilters(filters: CubeFilterOrGroup[] = []): Array<Exclude<CubeFilterOrGroup, { or?: unknown; and?: unknown }>> {
  return filters.flatMap((f) => ('operator' in f ? [f] : leafFilters(f.or ?? f.and ?? [])));
}

/** The member of an order entry, in either of Cube's two forms. */
export function orderMembers(order: CubeQuery['order']): string[] {
  if (!order) return [];
  return Array.isArray(order) ? order.map(([member]) => member) : Object.keys(order);
}

/** Every member a Cube query names: used to scope ad-hoc filters and to check dashboards. */
export function membersOf(query: CubeQuery): string[] {
  return [
    ...(query.measures ?? []),
    ...(query.dimensions ?? []),
    ...(query.segments ?? []),
    ...(query.timeDimensions ?? []).map((td) => td.dimension),
    ...leafFilters(query.filters).map(filterMember),
    ...orderMembers(query.order),
  ].filter(Boolean);
}
