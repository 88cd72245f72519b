import { dateTimeFormat, FieldType, type DataFrame, type Field } from '@grafana/data';
import { framePeriods } from '../../shared/framePeriods';
import type { CohortOptions } from './types';

export interface CohortMatrix {
  cohorts: string[];
  periods: number[];
  /** values[cohort][period index]; null where the cohort is too young for that period. */
  values: Array<Array<number | null>>;
  valueField: Field;
  min: number;
  max: number;
}

const PERIOD_NAME = /month|period|since|age|week|day|quarter|year/i;

const labelFormats: Record<string, string> = { year: 'YYYY', quarter: 'YYYY [Q]Q', month: 'YYYY-MM' };

/**
 * How a time cohort is written: by the query's granularity, which the backend puts in the frame's
 * meta; without it, a month when every cohort starts on the 1st, else the day (a weekly cohort's Monday).
 */
function cohortLabelFormat(frame: DataFrame, cohort: Field): string {
  const granularity = framePeriods(frame)?.granularity;
  if (granularity) return labelFormats[granularity] ?? 'YYYY-MM-DD';
  const monthStarts = cohort.values.every((v) => v === null || v === undefined || new Date(Number(v)).getUTCDate() === 1);
  return monthStarts ? labelFormats.month! : 'YYYY-MM-DD';
}

function pick(frame: DataFrame, name: string, test: (f: Field) => boolean, exclude: Field[] = []): Field | undefined {
  const candidates = frame.fields.filter((f) => !exclude.includes(f));
  if (name) return candidates.find((f) => f.name === name || f.config.displayNameFromDS === name);
  return candidates.find(test);
}

/**
 * A long table (cohort, period, value) → the retention triangle. Rows are cohorts, oldest
 * first; columns are periods since the cohort started.
 */
export function cohortMatrix(frames: DataFrame[], options: CohortOptions): CohortMatrix | undefined {
  for (const frame of frames) {
    const cohort = pick(frame, options.cohortField, (f) => f.type === FieldType.time || f.type === FieldType.string);
    const period = pick(frame, options.periodField, (f) => f.type === FieldType.number && PERIOD_NAME.test(f.name), cohort ? [cohort] : []);
    const value = pick(
      frame,
      options.valueField,
      (f) => f.type === FieldType.number,
      [cohort, period].filter((f): f is Field => Boolean(f)),
    );
    if (!cohort || !period || !value) continue;

    const format = cohortLabelFormat(frame, cohort);
    const cells = new Map<string, Map<number, number>>();
    const order = new Map<string, number>();
    for (let i = 0; i < frame.length; i++) {
      const raw = cohort.values[i];
      const key = cohort.type === FieldType.time ? dateTimeFormat(Number(raw), { format, timeZone: 'utc' }) : String(raw);
      const p = Number(period.values[i]);
      const v = Number(value.values[i]);
      if (raw === null || raw === undefined || !Number.isFinite(p)) continue;
      order.set(key, cohort.type === FieldType.time ? Number(raw) : (order.get(key) ?? order.size));
      const row = cells.get(key) ?? new Map<number, number>();
      if (Number.isFinite(v)) row.set(p, v);
      cells.set(key, row);
    }
    const cohorts = [...order.keys()].sort((a, b) => order.get(a)! - order.get(b)!);
    const periods = [...new Set([...cells.values()].flatMap((row) => [...row.keys()]))].sort((a, b) => a - b);
    const values = cohorts.map((c) => periods.map((p) => cells.get(c)?.get(p) ?? null));
    const all = values.flat().filter((v): v is number => v !== null);
    if (!all.length) return undefined;
    return { cohorts, periods, values, valueField: value, min: Math.min(...all), max: Math.max(...all) };
  }
  return undefined;
}
