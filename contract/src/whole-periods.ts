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

/**
 * Gives every time dimension that names no range of its own the dashboard's range, widened to
 * whole periods of its granularity: what the data source sends for a panel.
 */
export function withDashboardRange(query: CubeQuery, range: TimeRange): CubeQuery {
  if (!query.timeDimensions?.some((td) => td.dateRange === undefined)) return query;
  return {
    ...query,
    timeDimensions: query.timeDimensions.map((td) => {
      if (td.dateRange !== undefined) return td;
      const whole = wholePeriods(range, td.granularity ?? undefined);
      return { ...td, dateRange: [cubeDateTime(whole.from), cubeDateTime(whole.to)] };
    }),
  };
}
