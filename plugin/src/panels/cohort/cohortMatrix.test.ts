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

  it('writes weekly cohorts by their first day, so weeks of one month stay apart (usage retention by week)', () => {
    // Three weekly cohorts, all Mondays in March 2026, as usage_retention_weekly answers them.
    const mondays = [Date.UTC(2026, 2, 2), Date.UTC(2026, 2, 9), Date.UTC(2026, 2, 16)];
    const weekly: DataFrame = {
      length: 6,
      meta: { custom: { periods: 'complete', granularity: 'week' } },
      fields: [
        {
          name: 'usage_retention_weekly.cohort_start',
          type: FieldType.time,
          values: [0, 0, 0, 1, 1, 2].map((i) => mondays[i]),
          config: {},
        },
        { name: 'usage_retention_weekly.periods_since_start', type: FieldType.number, values: [0, 1, 2, 0, 1, 0], config: {} },
        { name: 'usage_retention_weekly.retention_rate', type: FieldType.number, values: [100, 40, 25, 100, 50, 100], config: {} },
      ],
    };
    const m = cohortMatrix([weekly], defaultCohortOptions)!;
    expect(m.cohorts).toEqual(['2026-03-02', '2026-03-09', '2026-03-16']);
    expect(m.values).toEqual([
      [100, 40, 25],
      [100, 50, null],
      [100, null, null],
    ]);
    // Without the backend's meta (another data source), days that are not all the 1st are written as days.
    expect(cohortMatrix([{ ...weekly, meta: undefined }], defaultCohortOptions)!.cohorts).toEqual([
      '2026-03-02',
      '2026-03-09',
      '2026-03-16',
    ]);
    // A monthly query keeps its months.
    expect(
      cohortMatrix([{ ...frame, meta: { custom: { periods: 'complete', granularity: 'month' } } }], defaultCohortOptions)!.cohorts,
    ).toEqual(['2025-01', '2025-02']);
  });
});
