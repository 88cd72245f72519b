import { FieldType, type DataFrame } from '@grafana/data';
import { describe, expect, it } from 'vitest';
import { summarize } from './summarize';

const frame = (values: unknown[], times?: number[]): DataFrame => ({
  length: values.length,
  fields: [
    ...(times ? [{ name: 'time', type: FieldType.time, values: times, config: {} }] : []),
    { name: 'v', type: FieldType.number, values, config: {} },
  ],
});

const summary = (f: DataFrame, direction: 'higher_is_better' | 'lower_is_better' = 'higher_is_better') =>
  summarize(f, f.fields.at(-1)!, direction);

describe('summarize', () => {
  it('takes the latest value in time order and the change vs the period before', () => {
    const s = summary(frame([30, 10, 20], [3, 1, 2]));
    expect(s).toMatchObject({ value: 30, previous: 20, change: 10, relativeChange: 0.5, improved: true, points: [10, 20, 30] });
  });

  it('reads the change by direction', () => {
    expect(summary(frame([5, 4]), 'lower_is_better').improved).toBe(true);
    expect(summary(frame([4, 5]), 'lower_is_better').improved).toBe(false);
    expect(summary(frame([4, 4])).improved).toBeUndefined();
  });

  it('skips NaN and null, and handles a single point and no data', () => {
    expect(summary(frame([10, NaN, null]))).toEqual({ value: 10, points: [10] });
    expect(summary(frame([NaN]))).toEqual({ points: [] });
    expect(summary(frame([]))).toEqual({ points: [] });
    expect(summary(frame([0, 5])).relativeChange).toBeUndefined();
  });
});
