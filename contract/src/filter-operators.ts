import { dateOperators, filterOperators, type FilterOperator } from './cube-query.js';

/** What a filter compares: Cube's dimension types, with every numeric measure as `number`. */
export type FilterValueType = 'string' | 'number' | 'time' | 'boolean';

/** A Cube member type (string, time, count, sum, number, geo, …) as the values a filter compares. */
export function filterValueType(cubeType: string): FilterValueType {
  if (cubeType === 'string' || cubeType === 'time' || cubeType === 'boolean') return cubeType;
  return cubeType === 'geo' ? 'string' : 'number';
}

const stringOperators: readonly FilterOperator[] = ['contains', 'notContains', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith'];
const orderOperators: readonly FilterOperator[] = ['gt', 'gte', 'lt', 'lte'];

/** The member types an operator applies to. */
export function operandTypes(operator: FilterOperator): readonly FilterValueType[] {
  if (stringOperators.includes(operator)) return ['string'];
  if (orderOperators.includes(operator)) return ['number', 'time'];
  if ((dateOperators as readonly FilterOperator[]).includes(operator)) return ['time'];
  return ['string', 'number', 'time', 'boolean'];
}

/**
 * The operators a filter on this member takes: the query editor offers exactly these and the
 * runtime refuses any other, so neither can drift from the other. A time member's date
 * operators come first, as the ones a time filter usually wants.
 */
export function operatorsFor(member: { kind: 'measure' | 'dimension' | 'segment'; type: FilterValueType }): FilterOperator[] {
  const applies = filterOperators.filter(
    (op) => operandTypes(op).includes(member.type) && (op !== 'measureFilter' || member.kind === 'measure'),
  );
  const first = (op: FilterOperator) => (member.type === 'time' && (dateOperators as readonly FilterOperator[]).includes(op) ? 0 : 1);
  return applies.sort((a, b) => first(a) - first(b));
}
