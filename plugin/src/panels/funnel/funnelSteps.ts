import { FieldType, type DataFrame, type Field } from '@grafana/data';
import type { FunnelMeta } from '@engagement/contract';
import { normalizeName } from '../../shared/resolveBenchmark';

/** The funnel cubes' members the panel reads, by the last part of their names. */
const roles = {
  stepNumber: 'step_number',
  step: 'step',
  persons: 'persons',
  stepConversion: 'step_conversion_rate',
  overallConversion: 'overall_conversion_rate',
  dropOff: 'drop_off',
} as const;

type Role = keyof typeof roles;

export interface FunnelStep {
  number: number;
  name: string;
}

/** One series' numbers at one step, as the model computed them; null where the query has no such field or no row. */
export interface FunnelValue {
  persons: number;
  stepConversion: number | null;
  overallConversion: number | null;
  dropOff: number | null;
}

export interface FunnelSeries {
  /** The breakdown's values ("mobile"), or the frame's name; "All" without a breakdown. */
  name: string;
  /** Aligned with the funnel's steps. */
  values: FunnelValue[];
}

export interface Funnel {
  /** The cube the step field belongs to (`purchase_funnel`), whose meta holds the window. */
  cube?: string;
  steps: FunnelStep[];
  series: FunnelSeries[];
  /** What the series are broken down by ("Device"); undefined without a breakdown. */
  breakdown?: string;
  /** The fields the numbers come from, for their units and display. */
  fields: { persons: Field } & Partial<Record<'stepConversion' | 'overallConversion' | 'dropOff', Field>>;
  /** The largest persons count: the scale of the bars. */
  max: number;
}

export type FunnelResult = { funnel: Funnel } | { empty: string } | { problem: string };

export const NO_DATA = 'No data in this range';

const memberName = (field: Field) => (field.config.custom as { member?: string } | undefined)?.member ?? field.name;

function roleOf(field: Field): Role | undefined {
  const name = normalizeName(memberName(field));
  return (Object.keys(roles) as Role[]).find((role) => roles[role] === name);
}

const title = (field: Field) => field.config.displayNameFromDS ?? field.name;

/** The roles' fields in a frame, and the text fields that are neither the step's label nor a role: the breakdown. */
function fieldsOf(frame: DataFrame) {
  const byRole: Partial<Record<Role, Field>> = {};
  const breakdown: Field[] = [];
  for (const field of frame.fields) {
    const role = roleOf(field);
    if (role && !byRole[role]) byRole[role] = field;
    else if (!role && (field.type === FieldType.string || field.type === FieldType.boolean)) breakdown.push(field);
  }
  return { byRole, breakdown };
}

/** A required number field: missing, or there but not numbers (an answer without Cube's annotation has only text). */
function need(field: Field | undefined, what: string, suffix: string): string[] {
  if (!field) return [`${what} (a number field named …${suffix})`];
  return field.type === FieldType.number ? [] : [`${what} as numbers (${field.name} is ${field.type})`];
}

function missingText(frame: DataFrame, byRole: Partial<Record<Role, Field>>): string | undefined {
  const missing = [...need(byRole.stepNumber, 'a step number', 'step_number'), ...need(byRole.persons, 'persons', 'persons')];
  if (!missing.length) return undefined;
  const names = frame.fields.map((f) => f.name).join(', ') || 'none';
  return `The funnel needs one row per step with ${missing.join(' and ')}; the query's fields are: ${names}.`;
}

const numberAt = (field: Field | undefined, i: number): number | null => {
  const v: unknown = field?.values[i];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
};

/**
 * A funnel query's frames (one row per step, or per step and breakdown value, as Cube answers
 * `persons`, the conversion rates and drop-off by `step_number` and `step`) → steps and series.
 * The numbers are the model's; the panel computes none. Steps that `meta` lists but no row
 * reached show with 0 persons.
 */
export function funnelFromFrames(frames: DataFrame[], meta?: FunnelMeta): FunnelResult {
  const withFields = frames.filter((f) => f.fields.length > 0);
  if (!withFields.length) return { empty: NO_DATA };

  const series = new Map<string, Map<number, FunnelValue>>();
  const names = new Map<number, string>();
  let found: ReturnType<typeof fieldsOf> | undefined;
  let cube: string | undefined;
  for (const frame of withFields) {
    const fields = fieldsOf(frame);
    const problem = missingText(frame, fields.byRole);
    if (problem) return { problem };
    found ??= fields;
    const { stepNumber, step, persons, stepConversion, overallConversion, dropOff } = fields.byRole;
    cube ??= memberName(stepNumber!).includes('.') ? memberName(stepNumber!).split('.')[0] : undefined;
    for (let i = 0; i < frame.length; i++) {
      const number = numberAt(stepNumber, i);
      if (number === null) continue;
      const label: unknown = step?.values[i];
      if (typeof label === 'string' && label && !names.has(number)) names.set(number, label);
      const key = fields.breakdown.length
        ? fields.breakdown.map((f) => String(f.values[i] ?? '(empty)')).join(' · ')
        : withFields.length > 1
          ? (frame.name ?? frame.refId ?? 'All')
          : 'All';
      const row = series.get(key) ?? new Map<number, FunnelValue>();
      row.set(number, {
        persons: numberAt(persons, i) ?? 0,
        stepConversion: numberAt(stepConversion, i),
        overallConversion: numberAt(overallConversion, i),
        dropOff: numberAt(dropOff, i),
      });
      series.set(key, row);
    }
  }
  if (!series.size) return { empty: NO_DATA };

  const numbers = [...new Set([...(meta?.steps.map((s) => s.number) ?? []), ...[...series.values()].flatMap((row) => [...row.keys()])])];
  numbers.sort((a, b) => a - b);
  const steps = numbers.map((number) => ({
    number,
    name: names.get(number) ?? meta?.steps.find((s) => s.number === number)?.name ?? `Step ${number}`,
  }));
  const none: FunnelValue = { persons: 0, stepConversion: null, overallConversion: null, dropOff: null };
  const list = [...series.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, row]) => ({ name, values: numbers.map((n) => row.get(n) ?? none) }));
  const { persons, stepConversion, overallConversion, dropOff } = found!.byRole;
  return {
    funnel: {
      ...(cube ? { cube } : {}),
      steps,
      series: list,
      ...(found!.breakdown.length ? { breakdown: found!.breakdown.map(title).join(' · ') } : {}),
      fields: {
        persons: persons!,
        ...(stepConversion ? { stepConversion } : {}),
        ...(overallConversion ? { overallConversion } : {}),
        ...(dropOff ? { dropOff } : {}),
      },
      max: Math.max(0, ...list.flatMap((s) => s.values.map((v) => v.persons))),
    },
  };
}

/** "Converted within 7 days of Product view": the window as the model states it. */
export function windowText(meta: FunnelMeta): string {
  const { days } = meta.window;
  return `Converted within ${days} ${days === 1 ? 'day' : 'days'} of ${meta.steps[0]!.name}`;
}
