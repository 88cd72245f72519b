import type { CubeFilter, CubeFilterOrGroup, CubeQuery, CubeTimeDimension } from './types';

/**
 * The value a dashboard variable's "All" option must carry (its `allValue`) for filters on it
 * to be dropped: "all segments" means no segment filter, not a list of every segment seen so far.
 */
export const ALL_VALUE = '__all__';
/** "All" as our variables carry it, and as Grafana's ad-hoc filters and multi-value lists do. */
export const ALL_VALUES = [ALL_VALUE, '$__all'];

/** Replaces variables in a text and returns every value (a multi-value variable gives several). */
export type Expand = (text: string) => string[];

type DateRange = NonNullable<CubeTimeDimension['dateRange']>;
type FilterValue = NonNullable<CubeFilter['values']>[number];

/**
 * Interpolates template variables everywhere a Cube query holds text: member names, filter
 * values (inside AND/OR groups too), date ranges and order. A filter whose variable is on "All"
 * is dropped, and so is a group left empty by that.
 */
export function interpolateQuery(query: CubeQuery, expand: Expand): CubeQuery {
  const one = (text: string) => expand(text)[0] ?? '';
  const many = (texts: string[]) => texts.flatMap(expand);
  const range = (r: DateRange): DateRange => (typeof r === 'string' ? one(r) : (r.map(one) as DateRange));
  const filters = (list: CubeFilterOrGroup[]): CubeFilterOrGroup[] =>
    list.flatMap((f): CubeFilterOrGroup[] => {
      if (!('operator' in f)) {
        const key = f.or ? 'or' : 'and';
        const inner = filters(f[key] ?? []);
        return inner.length ? [{ [key]: inner }] : [];
      }
      const values = f.values?.flatMap((v): FilterValue[] => (typeof v === 'string' ? expand(v) : [v]));
      if (values?.some((v) => typeof v === 'string' && ALL_VALUES.includes(v))) return [];
      return [
        {
          ...f,
          ...(f.member !== undefined ? { member: one(f.member) } : {}),
          ...(f.dimension !== undefined ? { dimension: one(f.dimension) } : {}),
          ...(values ? { values } : {}),
        },
      ];
    });
  const order = query.order;
  const result: CubeQuery = {
    ...query,
    ...(query.measures ? { measures: many(query.measures) } : {}),
    ...(query.dimensions ? { dimensions: many(query.dimensions) } : {}),
    ...(query.segments ? { segments: many(query.segments) } : {}),
    ...(query.timeDimensions
      ? {
          timeDimensions: query.timeDimensions.map((td) => ({
            ...td,
            dimension: one(td.dimension),
            ...(td.dateRange !== undefined ? { dateRange: range(td.dateRange) } : {}),
            ...(td.compareDateRange ? { compareDateRange: td.compareDateRange.map(range) } : {}),
          })),
        }
      : {}),
    ...(order
      ? {
          order: Array.isArray(order)
            ? order.map(([member, direction]): [string, typeof direction] => [one(member), direction])
            : Object.fromEntries(Object.entries(order).map(([member, direction]) => [one(member), direction])),
        }
      : {}),
  };
  if (query.filters) {
    const kept = filters(query.filters);
    if (kept.length) result.filters = kept;
    else delete result.filters;
  }
  return result;
}

/** Separator for multi-value variables while they pass through Grafana's replace() as one string. */
const SEPARATOR = '\u001f';

/** Adapts Grafana's templateSrv.replace to `Expand`. */
export function expandWith(replace: (text: string, format: (value: unknown) => string) => string): Expand {
  return (text) => replace(text, (value) => (Array.isArray(value) ? value.map(String).join(SEPARATOR) : String(value))).split(SEPARATOR);
}
