import { FieldType, type DataFrame, type Field } from '@grafana/data';
import type { Direction } from './types';

export interface Summary {
  /** The latest finite value; undefined when the field has none (no data, or only NaN/null). */
  value?: number;
  previous?: number;
  change?: number;
  /** Change as a share of |previous|; undefined when previous is 0. */
  relativeChange?: number;
  /** Whether the change is an improvement, given the direction. */
  improved?: boolean;
  /** Finite values in time order, for the sparkline. */
  points: number[];
}

/** Last value, change vs the point before it (the previous period) and the series for a sparkline. */
export function summarize(frame: DataFrame, field: Field, direction: Direction): Summary {
  const time = frame.fields.find((f) => f.type === FieldType.time);
  const rows = field.values.map((v, i) => ({ v: typeof v === 'number' ? v : Number(v ?? NaN), t: time ? Number(time.values[i]) : i }));
  const points = rows
    .filter((r) => Number.isFinite(r.v))
    .sort((a, b) => a.t - b.t)
    .map((r) => r.v);
  const value = points.at(-1);
  const previous = points.length > 1 ? points.at(-2) : undefined;
  if (value === undefined || previous === undefined) return { points, ...(value === undefined ? {} : { value }) };
  const change = value - previous;
  return {
    points,
    value,
    previous,
    change,
    ...(previous === 0 ? {} : { relativeChange: change / Math.abs(previous) }),
    ...(change === 0 ? {} : { improved: direction === 'higher_is_better' ? change > 0 : change < 0 }),
  };
}
