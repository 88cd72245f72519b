import type { CubeQuery } from '@engagement/contract';
import type { HandRange } from './hand-sql.js';

/** Period ('YYYY-MM-DD', or '' for a total) → value, leaving out periods without data. */
export type Answer = Map<string, number>;

const RELATIVE = /^last (\d+) (year|month)s?$/;

/** The half-open UTC range and grain a board query covers, as the hand-written SQL needs them. */
export function handRange(query: CubeQuery, now: Date): HandRange | null {
  const time = query.timeDimensions?.[0];
  if (!time?.dateRange) return null;
  const granularity = (time.granularity ?? null) as HandRange['granularity'];
  if (Array.isArray(time.dateRange)) {
    const [from, to] = time.dateRange;
    return { from: new Date(`${from}Z`).toISOString(), end: new Date(new Date(`${to}Z`).getTime() + 1).toISOString(), granularity };
  }
  // Cube's "last N years|months": the N whole periods before the current one.
  const match = RELATIVE.exec(time.dateRange);
  if (!match) throw new Error(`Cannot turn the date range "${time.dateRange}" into SQL bounds`);
  const n = Number(match[1]);
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const [from, end] =
    match[2] === 'year' ? [Date.UTC(year - n, 0, 1), Date.UTC(year, 0, 1)] : [Date.UTC(year, month - n, 1), Date.UTC(year, month, 1)];
  return { from: new Date(from).toISOString(), end: new Date(end).toISOString(), granularity };
}

/** Cube's rows for a one-measure board query as an Answer. */
export function cubeAnswer(query: CubeQuery, rows: Record<string, unknown>[]): Answer {
  const measure = query.measures![0]!;
  const time = query.timeDimensions?.[0];
  const timeKey = time?.granularity ? `${time.dimension}.${time.granularity}` : undefined;
  return new Map(
    rows
      .filter((row) => row[measure] !== null && row[measure] !== undefined)
      .map((row) => [timeKey ? String(row[timeKey]).slice(0, 10) : '', Number(row[measure])]),
  );
}

/** The hand-written SQL's rows (period, value) as an Answer. */
export function sqlAnswer(rows: Array<{ period: string | null; value: unknown }>): Answer {
  return new Map(rows.filter((row) => row.value !== null).map((row) => [row.period ?? '', Number(row.value)]));
}

/** Same periods and values equal to a relative 1e-9 (floating sums differ in the last digits). */
export function sameAnswer(a: Answer, b: Answer): boolean {
  if (a.size !== b.size) return false;
  for (const [period, value] of a) {
    const other = b.get(period);
    if (other === undefined || Math.abs(value - other) > 1e-9 * Math.max(1, Math.abs(other))) return false;
  }
  return true;
}
