import type { MemberInfo } from './meta';
import { filterValueType, operatorsFor as contractOperatorsFor } from '@engagement/contract';
import type { FilterOperator } from './types';

export const operatorLabels: Record<FilterOperator, string> = {
  equals: 'equals',
  notEquals: 'does not equal',
  contains: 'contains',
  notContains: 'does not contain',
  startsWith: 'starts with',
  notStartsWith: 'does not start with',
  endsWith: 'ends with',
  notEndsWith: 'does not end with',
  in: 'in',
  notIn: 'not in',
  gt: '>',
  gte: '≥',
  lt: '<',
  lte: '≤',
  set: 'is set',
  notSet: 'is not set',
  inDateRange: 'in date range',
  notInDateRange: 'not in date range',
  onTheDate: 'on the date',
  beforeDate: 'before',
  beforeOrOnDate: 'before or on',
  afterDate: 'after',
  afterOrOnDate: 'after or on',
  measureFilter: "apply the measure's own filters",
};

/** The operators that make sense for a member, as the runtime checks them; all of them when unknown. */
export function operatorsFor(member: Pick<MemberInfo, 'kind' | 'type'> | undefined): FilterOperator[] {
  if (!member) return Object.keys(operatorLabels) as FilterOperator[];
  const kind = member.kind === 'timeDimension' ? 'dimension' : member.kind;
  return contractOperatorsFor({ kind, type: member.kind === 'timeDimension' ? 'time' : filterValueType(member.type) });
}
