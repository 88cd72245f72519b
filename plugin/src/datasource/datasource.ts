import {
  FieldType,
  type AdHocVariableFilter,
  type DataFrame,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceGetTagKeysOptions,
  type DataSourceGetTagValuesOptions,
  type DataSourceInstanceSettings,
  type DataSourceWithQueryModificationSupport,
  type DataSourceWithToggleableQueryFiltersSupport,
  type MetricFindValue,
  type QueryFilterOptions,
  type QueryFixAction,
  type ScopedVars,
  type TimeRange,
  type ToggleFilterAction,
} from '@grafana/data';
import { DataSourceWithBackend, getTemplateSrv, isFetchError } from '@grafana/runtime';
import { z } from 'zod';
import { map, of, type Observable } from 'rxjs';
import { adHocToCube } from './adHocFilters';
import { membersOf } from './cubeQueryMembers';
import { expandWith, interpolateQuery } from './interpolate';
import { buildCatalog, cubeOf, type Catalog } from './meta';
import { hasCellFilter, withCellFilter, type CellFilter } from './cellFilters';
import {
  parseSavedTarget,
  upgradeTarget,
  type CubeDataQuery,
  type CubeDataSourceOptions,
  type CubeFilter,
  type CubeQuery,
  type EditableTarget,
} from './types';
import { CubeVariableSupport } from './variables';
import { framePeriods, toDateText } from '../shared/framePeriods';

/** The backend's resources (CallResource); the browser never calls Cube itself. */
export const resources = { meta: 'meta', sql: 'sql', values: 'values' } as const;

const sqlAnswerSchema = z.object({ cubeQuery: z.unknown(), sql: z.string(), params: z.array(z.unknown()).default([]) });
const valuesAnswerSchema = z.object({ values: z.array(z.string()) });

export interface ValuesRequest {
  dimension: string;
  range?: { from: string; to: string };
  /** The time dimension the range filters; without one the range does not apply. */
  timeDimension?: string;
  filters?: CubeFilter[];
  limit?: number;
}

const isoRange = (range: TimeRange) => ({ from: range.from.toISOString(), to: range.to.toISOString() });

/**
 * The Cube data source. Queries, alerts and externally shared boards run in the Go backend; the
 * frontend only replaces template variables and adds ad-hoc filters (applyTemplateVariables), so
 * what the backend receives is the stored target with concrete values.
 */
export class CubeDataSource
  extends DataSourceWithBackend<CubeDataQuery, CubeDataSourceOptions>
  implements DataSourceWithToggleableQueryFiltersSupport<CubeDataQuery>, DataSourceWithQueryModificationSupport<CubeDataQuery>
{
  private catalog?: Promise<Catalog>;

  constructor(readonly instanceSettings: DataSourceInstanceSettings<CubeDataSourceOptions>) {
    super(instanceSettings);
    this.variables = new CubeVariableSupport(this);
  }

  /** Cube's /v1/meta through the backend, once per data source instance; a failure is not cached. */
  getCatalog(): Promise<Catalog> {
    this.catalog ??= this.resource(() => this.getResource<unknown>(resources.meta))
      .then(buildCatalog)
      .catch((error: unknown) => {
        this.catalog = undefined;
        throw error;
      });
    return this.catalog;
  }

  getDefaultQuery(): Partial<CubeDataQuery> {
    return { version: 2, cubeQuery: {}, format: 'auto', periods: 'complete' };
  }

  /** Hidden and empty targets do not run; a malformed one does, so its error reaches the panel. */
  filterQuery(query: CubeDataQuery): boolean {
    if (query.hide) return false;
    const cubeQuery = cubeQueryOrUndefined(query);
    if (!cubeQuery) return true;
    return Boolean(cubeQuery.measures?.length || cubeQuery.dimensions?.length || cubeQuery.timeDimensions?.length);
  }

  /**
   * The stored target (migrated to version 2) with template variables replaced and the
   * dashboard's ad-hoc filters added: exactly what the backend runs, and what the SQL preview shows.
   */
  applyTemplateVariables(query: CubeDataQuery, scopedVars: ScopedVars, filters: AdHocVariableFilter[] = []): CubeDataQuery {
    const target = upgradeTarget(query);
    const expand = expandWith((text, format) => getTemplateSrv().replace(text, scopedVars, format));
    const cubeQuery = interpolateQuery(target.cubeQuery, expand);
    const adHoc = adHocToCube(filters, membersOf(cubeQuery));
    return { ...target, cubeQuery: adHoc.length ? { ...cubeQuery, filters: [...(cubeQuery.filters ?? []), ...adHoc] } : cubeQuery };
  }

  /**
   * Why a Cube query written in the editor's JSON mode would not run, naming the field; undefined
   * when it is valid. Variables are replaced first (with the dashboard's current values), so
   * "$segment" in a value or "$view.count" as a member is checked as what it becomes.
   */
  checkCubeQuery(raw: unknown): string | undefined {
    const jsonSafe = (value: unknown) => JSON.stringify(Array.isArray(value) ? value.join(',') : String(value)).slice(1, -1);
    try {
      const replaced: unknown = JSON.parse(getTemplateSrv().replace(JSON.stringify(raw), {}, jsonSafe));
      parseSavedTarget({ version: 2, cubeQuery: replaced });
      return undefined;
    } catch (error) {
      // The JSON mode edits the Cube query itself: name paths from there.
      return messageOf(error).replace(
        /^Invalid Cube query: cubeQuery(\.|: )/,
        (_m, sep: string) => `Invalid Cube query: ${sep === '.' ? '' : '(root): '}`,
      );
    }
  }

  /**
   * Grafana's backend query, with one difference: a target whose variables or ad-hoc filters
   * cannot become a Cube query gets its own error, and the other targets still run.
   */
  query(request: DataQueryRequest<CubeDataQuery>): Observable<DataQueryResponse> {
    const errors: DataQueryError[] = [];
    const targets = request.targets.filter((target) => {
      try {
        this.applyTemplateVariables(target, request.scopedVars, request.filters);
        return true;
      } catch (error) {
        errors.push({ refId: target.refId, message: messageOf(error) });
        return false;
      }
    });
    const withErrors = (response: DataQueryResponse): DataQueryResponse => {
      const all = [...errors, ...(response.errors ?? [])];
      const data = (response.data as DataFrame[]).map(filterableCells).map(toDateInNames);
      return all.length ? { ...response, data, errors: all, error: all[0] } : { ...response, data };
    };
    if (!targets.length) return of(withErrors({ data: [] }));
    return super.query({ ...request, targets }).pipe(map(withErrors));
  }

  /** The SQL Cube generates for a target as it runs (variables and ad-hoc filters applied), from the backend. */
  async getSql(target: CubeDataQuery, range: TimeRange, scopedVars: ScopedVars = {}, filters: AdHocVariableFilter[] = []): Promise<string> {
    const applied = this.applyTemplateVariables(target, scopedVars, filters);
    const answer = sqlAnswerSchema.safeParse(
      await this.resource(() => this.postResource(resources.sql, { target: applied, range: isoRange(range) })),
    );
    if (!answer.success) throw new Error('Unexpected answer from the data source’s sql resource');
    const { sql, params } = answer.data;
    return params.length ? `${sql}\n\n-- parameters: ${params.map((p, i) => `$${i + 1} = ${JSON.stringify(p)}`).join(', ')}` : sql;
  }

  /** Distinct values of a dimension, within a time range and other filters: variables and ad-hoc value lists. */
  async dimensionValues(request: ValuesRequest): Promise<string[]> {
    const answer = valuesAnswerSchema.safeParse(await this.resource(() => this.postResource(resources.values, request)));
    if (!answer.success) throw new Error('Unexpected answer from the data source’s values resource');
    return answer.data.values;
  }

  async getTagKeys(_options?: DataSourceGetTagKeysOptions<CubeDataQuery>): Promise<MetricFindValue[]> {
    const catalog = await this.getCatalog();
    return catalog.list('dimension').map((d) => ({ text: `${d.group} › ${d.title}`, value: d.name }));
  }

  /**
   * The values of an ad-hoc key, within the dashboard's range on the time dimension that the
   * board's own queries of the same view use, and within the board's other ad-hoc filters.
   */
  async getTagValues(options: DataSourceGetTagValuesOptions<CubeDataQuery>): Promise<MetricFindValue[]> {
    const filters = adHocToCube(
      options.filters.filter((f) => f.key !== options.key),
      [options.key],
    );
    const timeDimension = (options.queries ?? [])
      .flatMap((q) => cubeQueryOrUndefined(q)?.timeDimensions ?? [])
      .find((td) => cubeOf(td.dimension) === cubeOf(options.key))?.dimension;
    const values = await this.dimensionValues({
      dimension: options.key,
      limit: 1000,
      ...(filters.length ? { filters } : {}),
      ...(options.timeRange && timeDimension ? { range: isoRange(options.timeRange), timeDimension } : {}),
    });
    return values.map((text) => ({ text }));
  }

  getSupportedQueryModifications(): string[] {
    return ['ADD_FILTER', 'ADD_FILTER_OUT'];
  }

  /** Explore's "filter for / filter out value": an equals / notEquals filter on the query. */
  modifyQuery(query: CubeDataQuery, action: QueryFixAction): CubeDataQuery {
    const cell = cellOf(action.options);
    if (!cell || (action.type !== 'ADD_FILTER' && action.type !== 'ADD_FILTER_OUT')) return query;
    return this.withTarget(query, (target) => withCellFilter(target.cubeQuery, cell, action.type === 'ADD_FILTER' ? 'for' : 'out', false));
  }

  toggleQueryFilter(query: CubeDataQuery, filter: ToggleFilterAction): CubeDataQuery {
    const cell = cellOf(filter.options);
    if (!cell) return query;
    return this.withTarget(query, (target) => withCellFilter(target.cubeQuery, cell, filter.type === 'FILTER_FOR' ? 'for' : 'out', true));
  }

  queryHasFilter(query: CubeDataQuery, filter: QueryFilterOptions): boolean {
    const cell = cellOf(filter);
    return Boolean(cell && hasCellFilter(upgradeTarget(query).cubeQuery, cell, 'for'));
  }

  private withTarget(query: CubeDataQuery, change: (target: EditableTarget) => EditableTarget['cubeQuery']): CubeDataQuery {
    const target = upgradeTarget(query);
    return { ...target, cubeQuery: change(target) };
  }

  /** A resource call whose failure carries the backend's `{message}` (Cube's words or ours). */
  private async resource<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (isFetchError(error)) {
        const message = (error.data as { message?: unknown } | undefined)?.message;
        throw new Error(typeof message === 'string' && message ? message : `The data source answered HTTP ${error.status}`);
      }
      throw error;
    }
  }
}

/** A target's Cube query, or undefined when the target cannot be read (its error shows when it runs). */
function cubeQueryOrUndefined(query: CubeDataQuery): CubeQuery | undefined {
  try {
    return upgradeTarget(query).cubeQuery;
  } catch {
    return undefined;
  }
}

const cellOf = (options: Record<string, string> | undefined): CellFilter | undefined =>
  options?.key && options.value !== undefined ? { member: options.key, value: options.value } : undefined;

/** Lets a table cell of a dimension offer "filter for / filter out value" (a dashboard ad-hoc filter). */
function filterableCells(frame: DataFrame): DataFrame {
  return {
    ...frame,
    fields: frame.fields.map((field) =>
      field.type === FieldType.string && field.config.filterable === undefined
        ? { ...field, config: { ...field.config, filterable: true } }
        : field,
    ),
  };
}

/** A series that includes the period in progress says so in its name, in every panel type (Stat, KPI, legends). */
function toDateInNames(frame: DataFrame): DataFrame {
  const periods = framePeriods(frame);
  if (periods?.periods !== 'to_date') return frame;
  const suffix = ` (${toDateText(periods.granularity)})`;
  return {
    ...frame,
    fields: frame.fields.map((field) =>
      field.type === FieldType.number
        ? { ...field, config: { ...field.config, displayNameFromDS: `${field.config.displayNameFromDS ?? field.name}${suffix}` } }
        : field,
    ),
  };
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
