import { FieldType, type DataFrame } from '@grafana/data';
import { describe, expect, it } from 'vitest';
import { cohortMatrix } from './cohortMatrix';
import { defaultCohortOptions } from './types';

const jan = Date.UTC(2025, 0, 1);
const feb = Date.UTC(2025, 1, 1);

const frame: DataFrame = {
  length: 5,
  fields: [
    { name: 'customer_health.cohort_month', type: FieldType.time, values: [feb, jan, jan, jan, feb], config: {} },
    { name: 'customer_health.months_since_signup', type: FieldType.number, values: [0, 0, 1, 2, 1], config: {} },
    { name: 'customer_health.cohort_retention_rate', type: FieldType.number, values: [100, 100, 80, 70, 90], config: {} },
  ],
};

describe('cohortMatrix', () => {
  it('pivots a long table into a triangle: cohorts oldest first, periods ascending, gaps null', () => {
    const m = cohortMatrix([frame], defaultCohortOptions)!;
    expect(m.cohorts).toEqual(['2025-01', '2025-02']);
    expect(m.periods).toEqual([0, 1, 2]);
    expect(m.values).toEqual([
      [100, 80, 70],
      [100, 90, null],
    ]);
    expect([m.min, m.max]).toEqual([70, 100]);
    expect(m.valueField.name).toBe('customer_health.cohort_retention_rate');
  });

  it('takes fields by name when given, and returns nothing without the three fields', () => {
    const named = cohortMatrix([frame], {
      ...defaultCohortOptions,
      valueField: 'customer_health.cohort_retention_rate',
      periodField: 'customer_health.months_since_signup',
    });
    expect(named?.periods).toEqual([0, 1, 2]);
    expect(cohortMatrix([{ ...frame, fields: frame.fields.slice(0, 2) }], defaultCohortOptions)).toBeUndefined();
    expect(cohortMatrix([], defaultCohortOptions)).toBeUndefined();
  });
});
