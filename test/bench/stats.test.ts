import { describe, expect, it } from 'vitest';
import { handRange, sameAnswer } from '../../bench/answers.js';
import { quantile, ratio, summarize } from '../../bench/stats.js';

describe('bench statistics', () => {
  it('takes quantiles by nearest rank, so each is a measured value', () => {
    const samples = [12, 10, 11, 50, 13];
    expect(quantile(samples, 0.5)).toBe(12);
    expect(quantile(samples, 0.95)).toBe(50);
    expect(quantile([7], 0.95)).toBe(7);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2);
    expect(() => quantile([], 0.5)).toThrow('no values');
    expect(summarize(samples)).toEqual({ runs: 5, medianMs: 12, p95Ms: 50, minMs: 10, maxMs: 50 });
  });

  it('gives no ratio when a side is missing or zero', () => {
    expect(ratio(3, 2)).toBe(1.5);
    expect(ratio(3, 0)).toBeNull();
    expect(ratio(undefined, 2)).toBeNull();
  });
});

describe('bench answers', () => {
  it('turns a board date range into half-open UTC bounds for the hand-written SQL', () => {
    const monthly = {
      measures: ['m'],
      timeDimensions: [
        {
          dimension: 't',
          granularity: 'month' as const,
          dateRange: ['2025-11-01T00:00:00.000', '2026-11-30T23:59:59.999'] as [string, string],
        },
      ],
    };
    expect(handRange(monthly, new Date())).toEqual({
      from: '2025-11-01T00:00:00.000Z',
      end: '2026-12-01T00:00:00.000Z',
      granularity: 'month',
    });
    const lastTwoYears = { measures: ['m'], timeDimensions: [{ dimension: 't', granularity: 'year' as const, dateRange: 'last 2 years' }] };
    expect(handRange(lastTwoYears, new Date('2026-11-23T10:00:00Z'))).toEqual({
      from: '2024-01-01T00:00:00.000Z',
      end: '2026-01-01T00:00:00.000Z',
      granularity: 'year',
    });
    expect(handRange({ measures: ['m'] }, new Date())).toBeNull();
    expect(() => handRange({ measures: ['m'], timeDimensions: [{ dimension: 't', dateRange: 'this quarter' }] }, new Date())).toThrow(
      'this quarter',
    );
  });

  it('compares answers period by period, to a relative 1e-9', () => {
    const a = new Map([
      ['2026-01-01', 40],
      ['2026-02-01', 58.333333333333336],
    ]);
    expect(
      sameAnswer(
        a,
        new Map([
          ['2026-01-01', 40.0000000000001],
          ['2026-02-01', 58.33333333333333],
        ]),
      ),
    ).toBe(true);
    expect(
      sameAnswer(
        a,
        new Map([
          ['2026-01-01', 40],
          ['2026-02-01', 58.34],
        ]),
      ),
    ).toBe(false);
    expect(sameAnswer(a, new Map([['2026-01-01', 40]]))).toBe(false);
  });
});
