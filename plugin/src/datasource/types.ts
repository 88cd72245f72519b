import type { DataQuery, DataSourceJsonData } from '@grafana/data';
import type { EditableTarget, QueryModel } from '@engagement/contract';

// The saved target and Cube's REST query are the contract's, shared with the runtime, the bench
// and (through contract/vectors/) the Go backend.
export {
  filterOperators,
  granularities,
  parseSavedTarget,
  rangeOperators,
  unaryOperators,
  upgradeTarget,
  variableQuerySchema,
  type CubeFilter,
  type CubeFilterOrGroup,
  type CubeQuery,
  type CubeTimeDimension,
  type EditableTarget,
  type FilterOperator,
  type Granularity,
  type PeriodMode,
  type TargetFormat,
} from '@engagement/contract';

/**
 * A panel's query as Grafana stores it: the saved target (version 2) plus Grafana's refId and
 * data source. A dashboard saved before version 2 holds the version 1 keys instead; upgradeTarget
 * migrates it when the editor or the data source reads it.
 */
export interface CubeDataQuery extends DataQuery, Partial<EditableTarget>, Partial<Omit<QueryModel, 'format'>> {}

export interface CubeVariableQuery extends DataQuery {
  dimension?: string;
  /** A time dimension of the same view: the values are those seen within the dashboard's range. */
  timeDimension?: string;
  limit?: number;
}

export interface CubeDataSourceOptions extends DataSourceJsonData {
  /** Cube's base URL as Grafana's server reaches it, e.g. http://cube:4000 (without /cubejs-api). */
  cubeUrl?: string;
  /** ISO 4217 code for currency measures when the model names none for the tenant (default USD). */
  currency?: string;
}

export interface CubeSecureJsonData {
  /** A pre-minted Cube token for one tenant; only the backend reads it. */
  token?: string;
}
