import type { Granularity } from '@engagement/contract';

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
// 1970-01-01 was a Thursday; Cube's weeks start on Monday (ISO weeks).
const DAYS_FROM_MONDAY_AT_EPOCH = 3;

/** Wall-clock milliseconds of "YYYY-MM-DD[THH:MM:SS[.sss]]" read as UTC; an explicit offset is kept. */
function wallClock(date: string, endOfDay: boolean): number {
  const withTime = /^\d{4}-\d{2}-\d{2}$/.test(date) ? `${date}T${endOfDay ? '23:59:59.999' : '00:00:00.000'}` : date.replace(' ', 'T');
  return Date.parse(/(Z|[+-]\d{2}:?\d{2})$/.test(withTime) ? withTime : `${withTime}Z`);
}

/** The index of the period that holds a moment, counted from the epoch. */
function periodIndex(ms: number, granularity: Granularity): number {
  const date = new Date(ms);
  const months = date.getUTCFullYear() * 12 + date.getUTCMonth();
  switch (granularity) {
    case 'second':
      return Math.floor(ms / SECOND);
    case 'minute':
      return Math.floor(ms / MINUTE);
    case 'hour':
      return Math.floor(ms / HOUR);
    case 'day':
      return Math.floor(ms / DAY);
    case 'week':
      return Math.floor((Math.floor(ms / DAY) + DAYS_FROM_MONDAY_AT_EPOCH) / 7);
    case 'month':
      return months;
    case 'quarter':
      return Math.floor(months / 3);
    case 'year':
      return date.getUTCFullYear();
  }
}

/**
 * How many time buckets Cube makes for a granularity over a date range (its time series: every
 * period from the one holding `from` to the one holding `to`); 0 for a reversed range.
 */
export function countPeriods([from, to]: readonly [string, string], granularity: Granularity): number {
  const start = wallClock(from, false);
  const end = wallClock(to, true);
  if (Number.isNaN(start) || Number.isNaN(end) || end < start) return 0;
  return periodIndex(end, granularity) - periodIndex(start, granularity) + 1;
}
