import type { AdHocVariableFilter } from '@grafana/data';
import { cubeOf } from './meta';
import type { CubeFilter, FilterOperator } from './types';

const operators: Record<string, FilterOperator> = {
  '=': 'equals',
  '!=': 'notEquals',
  '=|': 'equals',
  '!=|': 'notEquals',
  // Cube has no regular expressions; a substring match is the nearest honest reading.
  '=~': 'contains',
  '!~': 'notContains',
  '<': 'lt',
  '>': 'gt',
  '<=': 'lte',
  '>=': 'gte',
};

/**
 * Dashboard ad-hoc filters → Cube filters for one query. A filter applies only when its member
 * is in a cube or view the query already uses: views are sealed, so a member of another view
 * would make Cube fail the whole query instead of just not filtering it.
 */
export function adHocToCube(filters: AdHocVariableFilter[], queryMembers: string[]): CubeFilter[] {
  const cubes = new Set(queryMembers.map(cubeOf));
  return filters.flatMap((filter) => {
    const operator = operators[filter.operator];
    if (!operator || !filter.key || !cubes.has(cubeOf(filter.key))) return [];
    const values = filter.values?.length ? filter.values : [filter.value];
    return [{ member: filter.key, operator, values }];
  });
}
