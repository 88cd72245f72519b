import { hasSubscriptions, sqlResponseSchema, subscriptionsQuery } from '@engagement/contract';
import {
  DataSourceApi,
  type DataFrame,
  type DataQueryError,
  type DataQueryRequest,
  type DataQueryResponse,
  type DataSourceGetTagKeysOptions,
  type DataSourceGetTagValuesOptions,
  type DataSourceInstanceSettings,
  type MetricFindValue,
  type ScopedVars,
  type TestDataSourceResponse,
  type TimeRange,
} from '@grafana/data';
import { getBackendSrv, getTemplateSrv, isFetchError } from '@grafana/runtime';
import { lastValueFrom } from 'rxjs';
import { adHocToCube } from './adHocFilters';
import { buildCubeQuery, membersOf } from './buildCubeQuery';
import { callCube, type CubeSend } from './cubeApi';
import { expandWith, interpolateModel } from './interpolate';
import { buildCatalog, cubeOf, type Catalog } from './meta';
import { explainMissing } from './needs';
import { toDataFrames } from './toDataFrames';
import { parseQueryModel, type CubeQuery, type CubeDataSourceOptions, type CubeDataQuery, type QueryModel } from './types';
import { CubeVariableSupport } from './variables';

/** The plugin.json route that adds the tenant's token on Grafana's server side. */
export const PROXY_ROUTE = 'cube';

/** Sends requests through Grafana's data proxy, so the token in secureJsonData never reaches the browser. */
export function proxySend(instanceUrl: string): CubeSend {
  return async (endpoint, query) => {
    const url = `${instanceUrl}/${PROXY_ROUTE}/cubejs-api/v1/${endpoint}`;
    const request = endpoint === 'meta' ? { url, method: 'GET' } : { url, method: 'POST', data: { query } };
    try {
      const response = await lastValueFrom(getBackendSrv().fetch({ ...request, showErrorAlert: false, showSuccessAlert: false }));
      return { status: response.status, data: response.data };
    } catch (error) {
      if (isFetchError(error)) return { status: error.status, data: error.data };
      throw error;
    }
  };
}

export class CubeDataSource extends DataSourceApi<CubeDataQuery, CubeDataSourceOptions> {
  private catalog?: Promise<Catalog>;
  private subscriptions?: Promise<boolean>;

  constructor(
    readonly instanceSettings: DataSourceInstanceSettings<CubeDataSourceOptions>,
    private readonly send: CubeSend = proxySend(instanceSettings.url ?? ''),
  ) {
    super(instanceSettings);
    this.variables = new CubeVariableSupport(this);
  }

  /** /v1/meta, fetched once per data source instance; a failure is not cached. */
  getCatalog(): Promise<Catalog> {
    this.catalog ??= callCube(this.send, 'meta')
      .then(buildCatalog)
      .catch((error: unknown) => {
        this.catalog = undefined;
        throw error;
      });
    return this.catalog;
  }

  /** Whether the token's tenant has subscriptions, asked once per data source instance; a failure is not cached. */
  tenantHasSubscriptions(): Promise<boolean> {
    this.subscriptions ??= callCube(this.send, 'load', subscriptionsQuery)
      .then((response) => hasSubscriptions((response as { data?: Array<Record<string, unknown>> }).data ?? []))
      .catch((error: unknown) => {
        this.subscriptions = undefined;
        throw error;
      });
    return this.subscriptions;
  }

  getDefaultQuery(): Partial<CubeDataQuery> {
    return { measures: [], dimensions: [], filters: [], segments: [], order: [], format: 'auto' };
  }

  filterQuery(query: CubeDataQuery): boolean {
    return !query.hide;
  }

  async query(request: DataQueryRequest<CubeDataQuery>): Promise<DataQueryResponse> {
    const range = { from: request.range.from.toDate(), to: request.range.to.toDate() };
    const outcomes = await Promise.all(
      request.targets
        .filter((target) => !target.hide)
        .map((target) =>
          this.runTarget(target, request.scopedVars, range, request.filters ?? []).then(
            (frames) => ({ frames }),
            (error: unknown) => ({ error: { refId: target.refId, message: messageOf(error) } satisfies DataQueryError }),
          ),
        ),
    );
    const data = outcomes.flatMap((o) => ('frames' in o ? o.frames : []));
    const errors = outcomes.flatMap((o) => ('error' in o ? [o.error] : []));
    return errors.length ? { data, errors, error: errors[0] } : { data };
  }

  /** The query a target sends, with variables, time range and ad-hoc filters applied. */
  cubeQueryFor(
    target: CubeDataQuery,
    scopedVars: ScopedVars = {},
    range?: { from: Date; to: Date },
    adHoc: DataQueryRequest['filters'] = [],
  ): { model: QueryModel; query: CubeQuery } {
    const expand = expandWith((text, format) => getTemplateSrv().replace(text, scopedVars, format));
    const model = interpolateModel(parseQueryModel(target), expand);
    const query = buildCubeQuery(model, { ...(range ? { range } : {}), extraFilters: adHocToCube(adHoc ?? [], membersOf(model)) });
    return { model, query };
  }

  private async runTarget(
    target: CubeDataQuery,
    scopedVars: ScopedVars,
    range: { from: Date; to: Date },
    adHoc: DataQueryRequest['filters'],
  ): Promise<DataFrame[]> {
    const { model, query } = this.cubeQueryFor(target, scopedVars, range, adHoc);
    if (!query.measures && !query.dimensions && !query.timeDimensions) return [];
    const response = await callCube(this.send, 'load', query);
    const format = model.format === 'auto' ? (query.timeDimensions?.[0]?.granularity ? 'time_series' : 'table') : model.format;
    const frames = toDataFrames(response, query, { refId: target.refId, format }).map((frame) => ({
      ...frame,
      meta: { ...frame.meta, executedQueryString: JSON.stringify(query, null, 2) },
    }));
    return explainMissing(frames, () => this.tenantHasSubscriptions());
  }

  /** The SQL Cube generates for a target, from /v1/sql, with its parameters. */
  async getSql(target: CubeDataQuery, range?: TimeRange): Promise<string> {
    const dates = range && { from: range.from.toDate(), to: range.to.toDate() };
    const { query } = this.cubeQueryFor(target, {}, dates);
    const parsed = sqlResponseSchema.safeParse(await callCube(this.send, 'sql', query));
    if (!parsed.success) throw new Error('Unexpected /v1/sql answer from Cube');
    const [sql, params] = parsed.data.sql.sql;
    return params.length ? `${sql}\n\n-- parameters: ${params.map((p, i) => `$${i + 1} = ${JSON.stringify(p)}`).join(', ')}` : sql;
  }

  /** Distinct values of a dimension: for variables, ad-hoc filter values and filter pickers. */
  async dimensionValues(dimension: string, limit = 1000, filters: CubeQuery['filters'] = []): Promise<string[]> {
    const query: CubeQuery = { dimensions: [dimension], limit, order: [[dimension, 'asc']], ...(filters.length ? { filters } : {}) };
    const response = (await callCube(this.send, 'load', query)) as { data?: Array<Record<string, unknown>> };
    const values = (response.data ?? []).map((row) => row[dimension]).filter((v) => v !== null && v !== undefined);
    return [...new Set(values.map(String))];
  }

  async getTagKeys(_options?: DataSourceGetTagKeysOptions<CubeDataQuery>): Promise<MetricFindValue[]> {
    const catalog = await this.getCatalog();
    return catalog.list('dimension').map((d) => ({ text: `${d.group} › ${d.title}`, value: d.name }));
  }

  async getTagValues(options: DataSourceGetTagValuesOptions<CubeDataQuery>): Promise<MetricFindValue[]> {
    const others = adHocToCube(
      options.filters.filter((f) => f.key !== options.key),
      [options.key],
    );
    const values = await this.dimensionValues(options.key, 1000, others);
    return values.map((text) => ({ text }));
  }

  async testDatasource(): Promise<TestDataSourceResponse> {
    if (!this.instanceSettings.jsonData.cubeUrl) return { status: 'error', message: 'Set the Cube URL first.' };
    try {
      this.catalog = undefined;
      const catalog = await this.getCatalog();
      const measures = catalog.list('measure');
      if (!measures.length)
        return { status: 'error', message: 'Connected, but this token sees no measures: check the tenant it was minted for.' };
      const views = new Set(measures.map((m) => cubeOf(m.name))).size;
      const benchmarked = measures.filter((m) => m.benchmark).length;
      const issues = measures.flatMap((m) => (m.benchmarkIssue ? [m.benchmarkIssue] : []));
      const summary = `Connected to Cube: ${measures.length} measures in ${views} cubes and views, ${benchmarked} with benchmarks.`;
      return issues.length
        ? { status: 'warning', message: `${summary} Ignored malformed benchmark meta: ${issues.join('; ')}` }
        : { status: 'success', message: summary };
    } catch (error) {
      return { status: 'error', message: messageOf(error) };
    }
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
