import type { MemberInfo } from './meta';
import { dateOperators } from '@engagement/contract';
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

const presence: FilterOperator[] = ['set', 'notSet'];
const text: FilterOperator[] = [
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
  ...presence,
];
const numeric: FilterOperator[] = ['equals', 'notEquals', 'gt', 'gte', 'lt', 'lte', 'in', 'notIn', ...presence];
const time: FilterOperator[] = [...dateOperators, ...presence];

/** The operators that make sense for a member, by its kind and type; all of them when unknown. */
export function operatorsFor(member: Pick<MemberInfo, 'kind' | 'type'> | undefined): FilterOperator[] {
  if (!member) return Object.keys(operatorLabels) as FilterOperator[];
  if (member.kind === 'measure') return [...numeric, 'measureFilter'];
  if (member.kind === 'timeDimension' || member.type === 'time') return time;
  if (member.type === 'number') return numeric;
  if (member.type === 'boolean') return ['equals', 'notEquals', ...presence];
  return text;
}
