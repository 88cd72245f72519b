import type { CubeQuery, Granularity } from './cube-query.js';

export interface TimeRange {
  from: Date;
  to: Date;
}

const MS: Partial<Record<Granularity, number>> = { second: 1_000, minute: 60_000, hour: 3_600_000, day: 86_400_000 };

/** The first instant (UTC) of the period of the given granularity that contains `date`. */
export function periodStart(date: Date, granularity: Granularity): Date {
  const ms = MS[granularity];
  if (ms) return new Date(Math.floor(date.getTime() / ms) * ms);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  switch (granularity) {
    case 'week': {
      const day = periodStart(date, 'day');
      // ISO weeks start on Monday, as Cube's do.
      return new Date(day.getTime() - ((day.getUTCDay() + 6) % 7) * MS.day!);
    }
    case 'month':
      return new Date(Date.UTC(year, month, 1));
    case 'quarter':
      return new Date(Date.UTC(year, month - (month % 3), 1));
    default:
      return new Date(Date.UTC(year, 0, 1));
  }
}

function nextPeriodStart(start: Date, granularity: Granularity): Date {
  const ms = MS[granularity];
  if (ms) return new Date(start.getTime() + ms);
  const year = start.getUTCFullYear();
  const month = start.getUTCMonth();
  switch (granularity) {
    case 'week':
      return new Date(start.getTime() + 7 * MS.day!);
    case 'month':
      return new Date(Date.UTC(year, month + 1, 1));
    case 'quarter':
      return new Date(Date.UTC(year, month + 3, 1));
    default:
      return new Date(Date.UTC(year + 1, 0, 1));
  }
}

/**
 * The dashboard range widened to whole periods of the query's granularity (whole days when it
 * has none). Every point of a series is then a whole period rather than the tail of one, and
 * the range lines up with the model's daily and monthly rollups, which Cube only uses for
 * ranges that start and end on their boundaries.
 */
export function wholePeriods(range: TimeRange, granularity: Granularity = 'day'): TimeRange {
  return {
    from: periodStart(range.from, granularity),
    to: new Date(nextPeriodStart(periodStart(range.to, granularity), granularity).getTime() - 1),
  };
}

/** Cube reads date ranges as local times in the query's timezone; queries run in UTC. */
export function cubeDateTime(date: Date): string {
  return date.toISOString().slice(0, 23);
}

export interface RangeOptions {
  /** complete (with a granularity): end with the last period that ended before `now`. */
  periods?: 'complete' | 'to_date';
  now?: Date;
}

/** The range of one time dimension: whole periods, cut to the last complete one when asked. */
export function rangeFor(range: TimeRange, granularity: Granularity | undefined, options: RangeOptions = {}): TimeRange {
  const whole = wholePeriods(range, granularity ?? 'day');
  if (options.periods !== 'complete' || !granularity) return whole;
  const current = periodStart(options.now ?? new Date(), granularity);
  const lastEnd = new Date(current.getTime() - 1);
  if (whole.to <= lastEnd) return whole;
  // Nothing of the range has ended yet: show the single last complete period instead.
  if (lastEnd < whole.from) return { from: periodStart(lastEnd, granularity), to: lastEnd };
  return { from: whole.from, to: lastEnd };
}

/**
 * Gives every time dimension that names no range of its own (neither dateRange nor
 * compareDateRange) the dashboard's range, widened to whole periods of its granularity: what
 * the data source sends for a panel. Without options the range is not cut at the current period.
 */
export function withDashboardRange(query: CubeQuery, range: TimeRange, options: RangeOptions = {}): CubeQuery {
  const open = (td: NonNullable<CubeQuery['timeDimensions']>[number]) => td.dateRange === undefined && td.compareDateRange === undefined;
  if (!query.timeDimensions?.some(open)) return query;
  return {
    ...query,
    timeDimensions: query.timeDimensions.map((td) => {
      if (!open(td)) return td;
      const { from, to } = rangeFor(range, td.granularity ?? undefined, options);
      return { ...td, dateRange: [cubeDateTime(from), cubeDateTime(to)] };
    }),
  };
}
