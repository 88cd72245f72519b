import type { CubeFilterOrGroup, CubeQuery } from './cube-query.js';

// An externally shared dashboard (and an alert rule) sends a panel's stored target as saved,
// without the frontend's applyTemplateVariables: a filter on "$segment" would reach Cube
// literally and match nothing. The backend treats it as Grafana's "All" does: no such filter.

/**
 * A filter value that is only a template variable reference, in any of Grafana's syntaxes:
 * `$segment`, `${segment}`, `${segment:csv}`, `${segment.field}`, `[[segment]]`, `[[segment:csv]]`.
 * A name starts with a letter or `_`, so amounts such as "$100" stay values.
 */
const VARIABLE_REFERENCE = /^(?:\$[A-Za-z_]\w*|\$\{[A-Za-z_]\w*(?:\.[^:}]+)?(?::[^}]+)?\}|\[\[[A-Za-z_]\w*(?::\w+)?\]\])$/;

export const isVariableReference = (value: unknown): value is string => typeof value === 'string' && VARIABLE_REFERENCE.test(value.trim());

/** A filter dropped because its values name a variable nobody replaced. */
export interface DroppedFilter {
  member: string;
  value: string;
}

/**
 * The query without the filters (inside AND/OR groups too) any of whose values is an unreplaced
 * variable, and without groups left empty by that; with what was dropped, for the panel's notice.
 */
export function dropUnreplacedVariables(query: CubeQuery): { query: CubeQuery; dropped: DroppedFilter[] } {
  const dropped: DroppedFilter[] = [];
  const keep = (list: CubeFilterOrGroup[]): CubeFilterOrGroup[] =>
    list.flatMap((f): CubeFilterOrGroup[] => {
      if (!('operator' in f)) {
        const key = f.or ? 'or' : 'and';
        const inner = keep(f[key] ?? []);
        return inner.length ? [{ [key]: inner }] : [];
      }
      const variable = f.values?.find(isVariableReference);
      if (variable === undefined) return [f];
      dropped.push({ member: f.member ?? f.dimension ?? '', value: variable });
      return [];
    });
  if (!query.filters) return { query, dropped };
  const filters = keep(query.filters);
  if (!dropped.length) return { query, dropped };
  const { filters: _all, ...rest } = query;
  return { query: filters.length ? { ...rest, filters } : rest, dropped };
}
