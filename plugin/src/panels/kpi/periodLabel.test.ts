import { toDataFrame, type DataFrame } from '@grafana/data';
import { describe, expect, it } from 'vitest';
import { periodLabel } from './periodLabel';

const frame = (custom?: Record<string, unknown>): DataFrame => ({
  ...toDataFrame({ fields: [] }),
  meta: custom === undefined ? {} : { custom },
});

describe('periodLabel', () => {
  it('says "to date" for the current period and names the last complete one otherwise', () => {
    expect(periodLabel(frame({ periods: 'to_date', granularity: 'month' }))).toBe('month to date');
    expect(periodLabel(frame({ periods: 'complete', granularity: 'week' }))).toBe('last complete week');
  });

  it('says nothing without the backend’s period meta', () => {
    expect(periodLabel(frame())).toBeUndefined();
    expect(periodLabel(frame({ periods: 'complete' }))).toBeUndefined();
  });
});
