import { loadResponseSchema, memberTitle, type AnnotationMember } from '@engagement/contract';
import { DataFrameType, FieldType, type DataFrame, type Field, type Labels } from '@grafana/data';
import { fieldConfigOf } from './fieldConfig';
import { benchmarkOf, type MemberInfo } from './meta';
import type { CubeQuery } from './types';

type Row = Record<string, unknown>;

interface Column {
  /** The key in Cube's rows, e.g. `web_engagement.started_at.month`. */
  key: string;
  info: MemberInfo;
}

export interface FrameOptions {
  refId: string;
  /** time_series: one frame per combination of dimension values, measures labelled by it. */
  format: 'time_series' | 'table';
}

/**
 * Cube's /v1/load answer → DataFrames. Columns follow the query (time, dimensions, measures);
 * each measure's field config (unit, thresholds, …) comes from its meta in the answer's
 * annotation, so any Grafana panel colours it by its benchmark.
 */
export function toDataFrames(response: unknown, query: CubeQuery, options: FrameOptions): DataFrame[] {
  const parsed = loadResponseSchema.safeParse(response);
  if (!parsed.success) throw new Error(`Unexpected /v1/load answer from Cube: ${parsed.error.issues[0]!.message}`);
  const { data, annotation } = parsed.data;

  const column = (key: string, member: string, kind: MemberInfo['kind'], group: Record<string, AnnotationMember>): Column => {
    const a = group[key] ?? group[member];
    const info: MemberInfo = {
      name: member,
      kind,
      title: memberTitle({ name: member, ...a }),
      type: a?.type ?? (kind === 'timeDimension' ? 'time' : 'string'),
      group: '',
      ...(a?.description ? { description: a.description } : {}),
      ...(typeof a?.format === 'string' ? { format: a.format } : {}),
      ...(kind === 'measure' ? benchmarkOf(member, a?.meta) : {}),
    };
    return { key, info };
  };

  const time = query.timeDimensions?.find((t) => t.granularity);
  const timeColumn = time && column(`${time.dimension}.${time.granularity}`, time.dimension, 'timeDimension', annotation.timeDimensions);
  const dimensions = (query.dimensions ?? []).map((d) => column(d, d, 'dimension', annotation.dimensions));
  const measures = (query.measures ?? []).map((m) => column(m, m, 'measure', annotation.measures));

  if (options.format === 'time_series' && timeColumn) {
    return timeSeriesFrames(data, timeColumn, dimensions, measures, options.refId);
  }
  const columns = [...(timeColumn ? [timeColumn] : []), ...dimensions, ...measures];
  return [
    {
      refId: options.refId,
      name: options.refId,
      length: data.length,
      fields: columns.map((c) => toField(c, data)),
      meta: { preferredVisualisationType: 'table' },
    },
  ];
}

function timeSeriesFrames(data: Row[], time: Column, dimensions: Column[], measures: Column[], refId: string): DataFrame[] {
  const groups = new Map<string, Row[]>();
  for (const row of data) {
    const key = JSON.stringify(dimensions.map((d) => row[d.key] ?? null));
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  if (groups.size === 0) groups.set('[]', []);
  return [...groups.values()].map((rows) => {
    const labels: Labels = Object.fromEntries(dimensions.map((d) => [d.key, String(rows[0]?.[d.key] ?? '')]));
    const suffix = dimensions.map((d) => labels[d.key]).join(' ');
    return {
      refId,
      name: suffix || refId,
      length: rows.length,
      fields: [
        toField(time, rows),
        ...measures.map((m) => {
          const field = toField(m, rows);
          if (!dimensions.length) return field;
          return { ...field, labels, config: { ...field.config, displayNameFromDS: `${m.info.title} ${suffix}` } };
        }),
      ],
      meta: { type: DataFrameType.TimeSeriesMulti, typeVersion: [0, 1] },
    } satisfies DataFrame;
  });
}

function toField({ key, info }: Column, rows: Row[]): Field {
  const type = fieldType(info);
  const values = rows.map((row) => convert(row[key], type));
  const config =
    info.kind === 'measure'
      ? fieldConfigOf(info)
      : { displayNameFromDS: info.title, ...(info.description ? { description: info.description } : {}) };
  return { name: info.name, type, values, config };
}

const numberTypes = new Set([
  'number',
  'count',
  'count_distinct',
  'count_distinct_approx',
  'countDistinct',
  'countDistinctApprox',
  'sum',
  'avg',
  'min',
  'max',
  'runningTotal',
]);

function fieldType(info: MemberInfo): FieldType {
  if (info.type === 'time') return FieldType.time;
  if (info.type === 'boolean') return FieldType.boolean;
  if (numberTypes.has(info.type)) return FieldType.number;
  return FieldType.string;
}

/** Cube sends numbers as strings or numbers depending on the driver, and times without a zone. */
function convert(value: unknown, type: FieldType): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case FieldType.number: {
      const n = typeof value === 'number' ? value : Number(value);
      return Number.isNaN(n) ? null : n;
    }
    case FieldType.time: {
      const text = String(value);
      return Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(text) ? text : `${text}Z`);
    }
    case FieldType.boolean:
      return value === true || value === 'true' || value === 1 || value === '1';
    default:
      return String(value);
  }
}
