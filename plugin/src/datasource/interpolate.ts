import type { QueryModel } from './types';

/**
 * The value a dashboard variable's "All" option must carry (its `allValue`) for filters on it
 * to be dropped: "all segments" means no segment filter, not a list of every segment seen so far.
 */
export const ALL_VALUE = '__all__';

/** Replaces variables in a text and returns every value (a multi-value variable gives several). */
export type Expand = (text: string) => string[];

/** Interpolates template variables in every member name, filter value, range and limit. */
export function interpolateModel(model: QueryModel, expand: Expand): QueryModel {
  const one = (text: string) => expand(text)[0] ?? '';
  const many = (texts: string[]) => texts.flatMap(expand);
  const time = model.timeDimension;
  return {
    ...model,
    measures: many(model.measures),
    dimensions: many(model.dimensions),
    segments: many(model.segments),
    ...(time
      ? {
          timeDimension: {
            ...time,
            dimension: one(time.dimension),
            ...(time.dateRange ? { dateRange: one(time.dateRange) } : {}),
          },
        }
      : {}),
    filters: model.filters
      .map((f) => ({ ...f, member: one(f.member), values: many(f.values) }))
      .filter((f) => !f.values.includes(ALL_VALUE)),
    order: model.order.map((o) => ({ ...o, member: one(o.member) })),
  };
}

/** Separator for multi-value variables while they pass through Grafana's replace() as one string. */
const SEPARATOR = '\u001f';

/** Adapts Grafana's templateSrv.replace to `Expand`. */
export function expandWith(replace: (text: string, format: (value: unknown) => string) => string): Expand {
  return (text) => replace(text, (value) => (Array.isArray(value) ? value.map(String).join(SEPARATOR) : String(value))).split(SEPARATOR);
}
