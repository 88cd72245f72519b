import { describe, expect, it } from 'vitest';
import { periodStart, wholePeriods } from './whole-periods.js';

const at = (iso: string) => new Date(iso);
const iso = (range: { from: Date; to: Date }) => [range.from.toISOString(), range.to.toISOString()];

describe('wholePeriods', () => {
  const range = { from: at('2025-02-19T10:30:00.000Z'), to: at('2025-08-06T08:00:00.000Z') };

  it('starts each granularity where Cube does (ISO weeks on Monday, quarters in Jan/Apr/Jul/Oct)', () => {
    const wednesday = at('2025-02-19T10:30:45.678Z');
    expect(periodStart(wednesday, 'second').toISOString()).toBe('2025-02-19T10:30:45.000Z');
    expect(periodStart(wednesday, 'hour').toISOString()).toBe('2025-02-19T10:00:00.000Z');
    expect(periodStart(wednesday, 'week').toISOString()).toBe('2025-02-17T00:00:00.000Z');
    expect(periodStart(at('2025-02-16T23:00:00Z'), 'week').toISOString()).toBe('2025-02-10T00:00:00.000Z');
    expect(periodStart(wednesday, 'quarter').toISOString()).toBe('2025-01-01T00:00:00.000Z');
    expect(periodStart(at('2025-12-31T23:59:59.999Z'), 'quarter').toISOString()).toBe('2025-10-01T00:00:00.000Z');
  });

  it('widens both ends to whole periods', () => {
    expect(iso(wholePeriods(range))).toEqual(['2025-02-19T00:00:00.000Z', '2025-08-06T23:59:59.999Z']);
    expect(iso(wholePeriods(range, 'week'))).toEqual(['2025-02-17T00:00:00.000Z', '2025-08-10T23:59:59.999Z']);
    expect(iso(wholePeriods(range, 'month'))).toEqual(['2025-02-01T00:00:00.000Z', '2025-08-31T23:59:59.999Z']);
    expect(iso(wholePeriods(range, 'quarter'))).toEqual(['2025-01-01T00:00:00.000Z', '2025-09-30T23:59:59.999Z']);
    expect(iso(wholePeriods(range, 'year'))).toEqual(['2025-01-01T00:00:00.000Z', '2025-12-31T23:59:59.999Z']);
  });

  it('keeps a range that is already whole, including a leap February', () => {
    const february = { from: at('2024-02-01T00:00:00.000Z'), to: at('2024-02-29T23:59:59.999Z') };
    expect(iso(wholePeriods(february, 'month'))).toEqual(iso(february));
  });
});
