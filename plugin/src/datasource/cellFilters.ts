import { filterMember } from './cubeQueryMembers';
import type { CubeFilterOrGroup, CubeQuery } from './types';

/** A table cell's member and value, as "filter for / filter out value" hands them over. */
export interface CellFilter {
  member: string;
  value: string;
}

type Mode = 'for' | 'out';
const operatorOf: Record<Mode, 'equals' | 'notEquals'> = { for: 'equals', out: 'notEquals' };

const isCellFilter = (filter: CubeFilterOrGroup, cell: CellFilter, mode: Mode) =>
  'operator' in filter &&
  filter.operator === operatorOf[mode] &&
  filterMember(filter) === cell.member &&
  filter.values?.length === 1 &&
  String(filter.values[0]) === cell.value;

/** Whether the query's top-level filters (all ANDed) hold this cell's filter. */
export function hasCellFilter(query: CubeQuery, cell: CellFilter, mode: Mode): boolean {
  return (query.filters ?? []).some((f) => isCellFilter(f, cell, mode));
}

/**
 * Adds an equals (for) or notEquals (out) filter on the cell's value at the top level, replacing
 * the opposite one; with `toggle`, a filter already there is removed instead.
 */
export function withCellFilter(query: CubeQuery, cell: CellFilter, mode: Mode, toggle: boolean): CubeQuery {
  const opposite: Mode = mode === 'for' ? 'out' : 'for';
  const present = hasCellFilter(query, cell, mode);
  const kept = (query.filters ?? []).filter((f) => !isCellFilter(f, cell, opposite) && !isCellFilter(f, cell, mode));
  const filters = present && toggle ? kept : [...kept, { member: cell.member, operator: operatorOf[mode], values: [cell.value] }];
  const { filters: _old, ...rest } = query;
  return filters.length ? { ...rest, filters } : rest;
}
