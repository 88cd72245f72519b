import { describe, expect, it } from 'vitest';
import { filterValueType, operatorsFor } from './filter-operators.js';

describe('operatorsFor', () => {
  it('gives text members equality, pattern, list and presence operators', () => {
    expect(operatorsFor({ kind: 'dimension', type: 'string' })).toEqual([
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
      'set',
      'notSet',
    ]);
  });

  it('gives numbers comparisons, and measures their own filters too', () => {
    const numeric = ['equals', 'notEquals', 'in', 'notIn', 'gt', 'gte', 'lt', 'lte', 'set', 'notSet'];
    expect(operatorsFor({ kind: 'dimension', type: 'number' })).toEqual(numeric);
    expect(operatorsFor({ kind: 'measure', type: filterValueType('count') })).toEqual([...numeric, 'measureFilter']);
  });

  it('puts date operators first for time members, and gives booleans no order or pattern', () => {
    expect(operatorsFor({ kind: 'dimension', type: 'time' }).slice(0, 3)).toEqual(['inDateRange', 'notInDateRange', 'onTheDate']);
    expect(operatorsFor({ kind: 'dimension', type: 'time' })).toContain('gte');
    expect(operatorsFor({ kind: 'dimension', type: 'boolean' })).toEqual(['equals', 'notEquals', 'in', 'notIn', 'set', 'notSet']);
  });

  it('reads geo as text and every aggregate as a number', () => {
    expect(['geo', 'sum', 'avg', 'count_distinct', 'number'].map(filterValueType)).toEqual([
      'string',
      'number',
      'number',
      'number',
      'number',
    ]);
  });
});
