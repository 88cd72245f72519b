import schemaCompiler from '@cubejs-backend/schema-compiler';
import { nullSafeJoinKey } from './postgres-dialect.js';

interface Member {
  aliasName(): string;
}
interface Query {
  dimensions: Member[];
  asSyntaxJoin: string;
  cubeAlias(name: string): string;
  dateSeriesSelect(): string[];
  groupByClause(): string;
}
interface CumulativeMeasure {
  cumulativeSelectColumns(): string[];
}
type OverTimeSeriesSelect = (
  this: Query,
  cumulativeMeasures: CumulativeMeasure[],
  dateSeriesSql: string,
  baseQuery: string,
  dateJoinConditionSql: string,
  baseQueryAlias: string,
) => string;

let applied = false;

/**
 * Cube 0.35.81 computes a rolling-window measure as a date series LEFT JOINed to the rows in each
 * period's window, and takes the query's dimensions from those rows
 * (BaseQuery#overTimeSeriesSelect). A period whose window holds no row for a dimension value,
 * such as the first period of data for an `offset: start` window, comes out once with every
 * dimension NULL, and the INNER JOIN on the dimensions that puts the query's measures together
 * (BaseQuery#outerMeasuresJoinFullKeyQueryAggregate, cube-js/cube#9353) drops it: new customers
 * by quarter lost their first quarter as soon as `tenant_id` was a dimension.
 *
 * This takes the dimension values from every value the windows can see (the series crossed with
 * the distinct dimension values of the same rows) and joins the rows on the window and the
 * dimensions (on hashable keys: nullSafeJoinKey), so each period has a row for each value. Queries
 * without dimensions keep Cube's SQL. The rows are a MATERIALIZED CTE, read for both: written
 * out twice, PostgreSQL computed the cube's SQL twice.
 */
export function keepFirstPeriodOfRollingWindows(): void {
  if (applied) return;
  applied = true;
  const prototype = schemaCompiler.BaseQuery.prototype as unknown as { overTimeSeriesSelect: OverTimeSeriesSelect };
  const original = prototype.overTimeSeriesSelect;
  prototype.overTimeSeriesSelect = function (cumulativeMeasures, dateSeriesSql, baseQuery, dateJoinConditionSql, baseQueryAlias) {
    if (this.dimensions.length === 0) {
      return original.call(this, cumulativeMeasures, dateSeriesSql, baseQuery, dateJoinConditionSql, baseQueryAlias);
    }
    const values = this.cubeAlias('dimension_values');
    const aliases = this.dimensions.map((d) => d.aliasName());
    const sameValues = aliases.map((a) => `${nullSafeJoinKey(`${baseQueryAlias}.${a}`)} = ${nullSafeJoinKey(`${values}.${a}`)}`);
    const select = [
      ...aliases.map((a) => `${values}.${a} ${a}`),
      ...this.dateSeriesSelect(),
      ...cumulativeMeasures.flatMap((m) => m.cumulativeSelectColumns()),
    ].join(', ');
    return (
      `WITH ${baseQueryAlias} AS MATERIALIZED (${baseQuery}) SELECT ${select} FROM ${dateSeriesSql}` +
      ` CROSS JOIN (SELECT DISTINCT ${aliases.join(', ')} FROM ${baseQueryAlias}) ${this.asSyntaxJoin} ${values}` +
      ` LEFT JOIN ${baseQueryAlias} ON ${dateJoinConditionSql} AND ${sameValues.join(' AND ')}` +
      this.groupByClause()
    );
  };
}
