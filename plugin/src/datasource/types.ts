import type { DataQuery, DataSourceJsonData } from '@grafana/data';
import type { QueryModel } from '@engagement/contract';

// The saved query and Cube's REST query are the contract's, shared with the runtime and the bench.
export {
  filterOperators,
  granularities,
  parseQueryModel,
  queryModelSchema,
  rangeOperators,
  unaryOperators,
  variableQuerySchema,
  type CubeFilter,
  type CubeQuery,
  type FilterOperator,
  type Granularity,
  type QueryFilter,
  type QueryModel,
} from '@engagement/contract';

/** A panel's query as Grafana stores it: the saved query model plus Grafana's refId and data source. */
export interface CubeDataQuery extends DataQuery, Partial<QueryModel> {}

export interface CubeVariableQuery extends DataQuery {
  dimension?: string;
  limit?: number;
}

export interface CubeDataSourceOptions extends DataSourceJsonData {
  /** Cube's base URL as Grafana's server reaches it, e.g. http://cube:4000 (without /cubejs-api). */
  cubeUrl?: string;
}

export interface CubeSecureJsonData {
  /** A pre-minted Cube token for one tenant; Grafana adds it to proxied requests. */
  token?: string;
}
