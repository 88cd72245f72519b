import { toDataFrame, type DataFrame } from '@grafana/data';
import { describe, expect, it } from 'vitest';
import { periodLabel } from './periodLabel';

const frame = (custom?: Record<string, unknown>): DataFrame => ({
  ...toDataFrame({ fields: [] }),
  meta: custom === undefined ? {} : { custom },
});

describe('periodLabel', () => {
  it('names the last complete period; a period to date is in the series name instead', () => {
    expect(periodLabel(frame({ periods: 'complete', granularity: 'week' }))).toBe('last complete week');
    expect(periodLabel(frame({ periods: 'to_date', granularity: 'month' }))).toBeUndefined();
  });

  it('says nothing without the backend’s period meta', () => {
    expect(periodLabel(frame())).toBeUndefined();
    expect(periodLabel(frame({ periods: 'complete' }))).toBeUndefined();
  });
});
