/**
 * Turns Cube's SQL for one query, compiled for placeholder arguments, into SQL that takes the
 * tenant and the date range as parameters (SERIES_PARAMETERS), so a set-returning function can
 * run it for any range. Cube's SQL is kept as it is; only its bound values and its literal time
 * series (the periods of a rolling window) are replaced, and anything else that depends on the
 * placeholders stops the generation.
 */

export const GRANULARITIES = ['day', 'week', 'month', 'quarter', 'year'] as const;
export type SeriesGranularity = (typeof GRANULARITIES)[number];

/** What Cube is compiled for: values that cannot be mistaken for anything else in its SQL. */
export const PLACEHOLDER = { tenant: '__metrics_tenant__', from: '1971-02-03', to: '1971-03-09' } as const;

const STEP: Record<SeriesGranularity, string> = {
  day: '1 day',
  week: '1 week',
  month: '1 month',
  quarter: '3 months',
  year: '1 year',
};

/** The periods from the one holding $2 to the one holding $3, as Cube's time series has them. */
export function periodStarts(granularity: SeriesGranularity): string {
  return `generate_series(date_trunc('${granularity}', $2::timestamp), date_trunc('${granularity}', $3::timestamp), interval '${STEP[granularity]}')`;
}

/** Start of the period that holds a UTC day (weeks start on Monday, as Cube's do). */
function periodStart(day: string, granularity: SeriesGranularity): Date {
  const date = new Date(`${day}T00:00:00Z`);
  const [y, m] = [date.getUTCFullYear(), date.getUTCMonth()];
  if (granularity === 'day') return date;
  if (granularity === 'week') return new Date(date.getTime() - ((date.getUTCDay() + 6) % 7) * 86_400_000);
  if (granularity === 'month') return new Date(Date.UTC(y, m, 1));
  if (granularity === 'quarter') return new Date(Date.UTC(y, m - (m % 3), 1));
  return new Date(Date.UTC(y, 0, 1));
}

/** End (last millisecond) of the period that holds a UTC day. */
function periodEnd(day: string, granularity: SeriesGranularity): Date {
  const start = periodStart(day, granularity);
  const next = new Date(start);
  if (granularity === 'day') next.setUTCDate(next.getUTCDate() + 1);
  else if (granularity === 'week') next.setUTCDate(next.getUTCDate() + 7);
  else if (granularity === 'month') next.setUTCMonth(next.getUTCMonth() + 1);
  else if (granularity === 'quarter') next.setUTCMonth(next.getUTCMonth() + 3);
  else next.setUTCFullYear(next.getUTCFullYear() + 1);
  return new Date(next.getTime() - 1);
}

const CUBE_TIMESTAMP = `'YYYY-MM-DD"T"HH24:MI:SS.MS'`;

/**
 * The parameters of the generated SQL, in order ($1, $2, …), and how the function computes each
 * from its arguments (plpgsql: tenant, first_day, last_day, granularity, step). Every bound Cube
 * writes is a parameter of its own, computed once per call: as an expression over the dates it
 * would be evaluated again for every row it filters (to_char is not immutable).
 */
const BOUND_PARAMETERS = [
  { name: 'range_start', sql: `to_char(first_day, 'YYYY-MM-DD') || 'T00:00:00.000'` },
  { name: 'range_end', sql: `to_char(last_day, 'YYYY-MM-DD') || 'T23:59:59.999'` },
  { name: 'first_period_start', sql: `to_char(date_trunc(granularity, first_day::timestamp), ${CUBE_TIMESTAMP})` },
  {
    name: 'last_period_end',
    sql: `to_char(date_trunc(granularity, last_day::timestamp) + step - interval '1 millisecond', ${CUBE_TIMESTAMP})`,
  },
] as const;

/** $1 tenant, $2 first day, $3 last day (dates), then each bound as Cube writes it, and with a Z. */
export const SERIES_PARAMETERS: { name: string; sql: string; type: 'text' | 'date' }[] = [
  { name: 'tenant', sql: 'tenant', type: 'text' },
  { name: 'first_day', sql: 'first_day', type: 'date' },
  { name: 'last_day', sql: 'last_day', type: 'date' },
  ...BOUND_PARAMETERS.map(({ name, sql }) => ({ name, sql, type: 'text' as const })),
  ...BOUND_PARAMETERS.map(({ name, sql }) => ({ name: `${name}_z`, sql: `${sql} || 'Z'`, type: 'text' as const })),
];

/** The bounds Cube writes for the placeholder range at a granularity, "YYYY-MM-DDTHH:MM:SS.mmm". */
function placeholderBounds(granularity: SeriesGranularity): Record<(typeof BOUND_PARAMETERS)[number]['name'], string> {
  const iso = (date: Date) => date.toISOString().slice(0, 23);
  return {
    range_start: `${PLACEHOLDER.from}T00:00:00.000`,
    range_end: `${PLACEHOLDER.to}T23:59:59.999`,
    first_period_start: iso(periodStart(PLACEHOLDER.from, granularity)),
    last_period_end: iso(periodEnd(PLACEHOLDER.to, granularity)),
  };
}

/** The parameter that gives, for the function's arguments, what Cube bound for the placeholders. */
function parameterFor(value: unknown, index: number, granularity: SeriesGranularity): string {
  if (value === PLACEHOLDER.tenant) return '$1::text';
  const bounds = placeholderBounds(granularity);
  for (const { name } of BOUND_PARAMETERS) {
    // A range bound and a period edge can coincide (by day they always do): either parameter fits.
    if (value === bounds[name]) return `$${SERIES_PARAMETERS.findIndex((p) => p.name === name) + 1}::text`;
    if (value === `${bounds[name]}Z`) return `$${SERIES_PARAMETERS.findIndex((p) => p.name === `${name}_z`) + 1}::text`;
  }
  throw new Error(`Cube's SQL binds $${index} to ${JSON.stringify(value)}, which is neither the tenant nor the date range`);
}

// A rolling window's periods, which Cube writes out as literals: (VALUES ('from', 'to'), …) AS dates (date_from, date_to).
const TIME_SERIES = /\(VALUES \('[^']*', '[^']*'\)(?:,\('[^']*', '[^']*'\))*\) AS dates \(date_from, date_to\)/g;

/** Cube's SQL with the tenant and range as SERIES_PARAMETERS and its time series generated from them. */
export function parameterize(sql: string, params: readonly unknown[], granularity: SeriesGranularity): string {
  const series =
    `(SELECT d AS date_from, d + interval '${STEP[granularity]}' - interval '1 millisecond' AS date_to ` +
    `FROM ${periodStarts(granularity)} AS d) AS dates (date_from, date_to)`;
  // Cube's own parameters first: the generated series refers to the function's $2 and $3.
  const bound = sql
    .replace(/\$(\d+)\b/g, (_match, index: string) => {
      const position = Number(index);
      if (position < 1 || position > params.length) throw new Error(`Cube's SQL refers to $${index}, which it gave no value for`);
      return parameterFor(params[position - 1], position, granularity);
    })
    .replace(TIME_SERIES, series);
  for (const placeholder of [PLACEHOLDER.from, PLACEHOLDER.to, PLACEHOLDER.tenant]) {
    if (bound.includes(placeholder))
      throw new Error(`Cube's SQL still holds the placeholder ${placeholder} after its parameters were replaced`);
  }
  // Cube caps a query at 10,000 rows unless asked; a series has as many rows as its range needs.
  return bound.replace(/\s+LIMIT \d+\s*$/, '');
}
