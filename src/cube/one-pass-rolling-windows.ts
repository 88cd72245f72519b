import schemaCompiler from '@cubejs-backend/schema-compiler';

/**
 * Cube 0.35.81 computes each rolling-window measure of a query in a sub-query of its own, each
 * reading the cube's SQL again (BaseQuery#fullKeyQueryAggregate and
 * #regularAndTimeSeriesRollupQuery: one `overTimeSeriesQuery` per cumulative measure), and joins
 * them on the periods. Churn and retention need four or five running totals of the same events,
 * so the warehouse computed the customer spans four or five times per query.
 *
 * This computes every unbounded trailing window (`trailing: unbounded`, no `leading`, offset
 * start or end) of one cube in one sub-query: the rows up to the widest window's edge, read once,
 * joined to the date series, and each measure summed over its own window with
 * `sum(CASE WHEN <its window> THEN … END)`. Other rolling windows, and queries without a
 * granularity, keep Cube's SQL.
 */

interface TimeDimension {
  dateSeriesAliasName(): string;
  aliasName(): string;
  dateFromFormatted(): string;
  dateToFormatted(): string;
  granularity?: string;
}
type WindowCondition = [
  TimeDimension,
  (
    dateFrom: string,
    dateTo: string,
    dateField: string,
    dimensionDateFrom: string,
    dimensionDateTo: string,
    isFromStartToEnd?: boolean,
  ) => string,
];
interface Measure {
  measure: string;
  aliasName(): string;
  cube(): { name: string };
  measureDefinition(): { type: string; rollingWindow?: { trailing?: string; leading?: string; offset?: string; type?: string } };
  dateJoinCondition(): WindowCondition[];
  shouldUngroupForCumulative(): boolean;
  windowGranularity(): string | undefined;
  measureSql(): string;
}
type BaseQueryFn = (measures: Measure[], filters: unknown[], grouped?: boolean) => string;
interface Query {
  timeDimensions: TimeDimension[];
  segments: unknown[];
  filters: unknown[];
  fullKeyQueryAggregateMeasures(): { cumulativeMeasures: [boolean, Measure][] };
  dateSeriesSql(d: TimeDimension): string;
  dateFromStartToEndConditionSql(condition: WindowCondition[], fromRollup: boolean, isFromStartToEnd: boolean): unknown[];
  groupedUngroupedSelect(select: () => string, ungrouped: boolean, granularityOverride?: string): string;
  minGranularity(a: string | undefined, b: string | undefined): string;
  cubeAlias(name: string): string;
  escapeColumnName(name: string): string;
  evaluateSymbolSqlWithContext(fn: () => string, context: object): string;
  overTimeSeriesSelect(
    measures: { cumulativeSelectColumns(): string[] }[],
    dateSeriesSql: string,
    baseQuery: string,
    dateJoinConditionSql: string,
    baseQueryAlias: string,
  ): string;
}
type OverTimeSeriesQuery = (this: Query, baseQueryFn: BaseQueryFn, measure: Measure, fromRollup: boolean) => string;
type JoinFullKeyQueryAggregate = (
  this: Query,
  multiplied: unknown[],
  regular: unknown[],
  cumulative: unknown[],
  toJoin: string[],
) => string;

/** What the sub-query of a measure computed with an earlier one returns: left out of the join. */
const COMPUTED_WITH_ANOTHER = '-- computed in the sub-query of another rolling window';

function unboundedTrailing(measure: Measure): boolean {
  const window = measure.measureDefinition().rollingWindow;
  return (
    window !== undefined &&
    window.type === undefined &&
    window.trailing === 'unbounded' &&
    window.leading === undefined &&
    !measure.shouldUngroupForCumulative()
  );
}

/** The query's unbounded trailing windows that share a sub-query with `measure` (itself included). */
function companions(query: Query, measure: Measure): Measure[] {
  const cumulative = query.fullKeyQueryAggregateMeasures().cumulativeMeasures;
  const multiplied = cumulative.find(([, m]) => m.measure === measure.measure)?.[0];
  return cumulative
    .filter(([isMultiplied, m]) => isMultiplied === multiplied && m.cube().name === measure.cube().name && unboundedTrailing(m))
    .map(([, m]) => m);
}

function conditionSql(query: Query, measure: Measure, baseAlias: string): string {
  return measure
    .dateJoinCondition()
    .map(([d, condition]) =>
      condition(
        `${d.dateSeriesAliasName()}.${query.escapeColumnName('date_from')}`,
        `${d.dateSeriesAliasName()}.${query.escapeColumnName('date_to')}`,
        `${baseAlias}.${d.aliasName()}`,
        `'${d.dateFromFormatted()}'`,
        `'${d.dateToFormatted()}'`,
      ),
    )
    .join(' AND ');
}

let applied = false;

export function computeRunningTotalsInOnePass(): void {
  if (applied) return;
  applied = true;
  const prototype = schemaCompiler.BaseQuery.prototype as unknown as {
    overTimeSeriesQuery: OverTimeSeriesQuery;
    joinFullKeyQueryAggregate: JoinFullKeyQueryAggregate;
  };
  const overTimeSeriesQuery = prototype.overTimeSeriesQuery;
  prototype.overTimeSeriesQuery = function (baseQueryFn, measure, fromRollup) {
    const granular = this.timeDimensions.find((d) => d.granularity);
    if (!granular || !unboundedTrailing(measure)) return overTimeSeriesQuery.call(this, baseQueryFn, measure, fromRollup);
    const measures = companions(this, measure);
    if (measures[0]!.measure !== measure.measure) return COMPUTED_WITH_ANOTHER;
    // Offset end (rows up to each period's end) is the widest window: its filter keeps every row
    // an offset-start window needs.
    const widest = measures.find((m) => (m.measureDefinition().rollingWindow!.offset ?? 'end') === 'end') ?? measures[0]!;
    const filters = this.segments
      .concat(this.filters)
      .concat(this.dateFromStartToEndConditionSql(widest.dateJoinCondition(), fromRollup, true));
    const baseQuery = this.groupedUngroupedSelect(
      () => baseQueryFn(measures, filters),
      false,
      this.minGranularity(widest.windowGranularity(), granular.granularity) || undefined,
    );
    const baseAlias = this.cubeAlias('base');
    const columns = measures.map((m) => ({
      cumulativeSelectColumns: () => [
        `${this.evaluateSymbolSqlWithContext(() => m.measureSql(), {
          ungroupedAliasesForCumulative: {
            [m.measure]: `CASE WHEN ${conditionSql(this, m, baseAlias)} THEN ${baseAlias}.${m.aliasName()} END`,
          },
        })} ${m.aliasName()}`,
      ],
    }));
    const dateSeriesSql = this.timeDimensions.map((d) => this.dateSeriesSql(d)).join(', ');
    return this.overTimeSeriesSelect(columns, dateSeriesSql, baseQuery, conditionSql(this, widest, baseAlias), baseAlias);
  };
  const joinFullKeyQueryAggregate = prototype.joinFullKeyQueryAggregate;
  prototype.joinFullKeyQueryAggregate = function (multiplied, regular, cumulative, toJoin) {
    return joinFullKeyQueryAggregate.call(
      this,
      multiplied,
      regular,
      cumulative,
      toJoin.filter((q) => q !== COMPUTED_WITH_ANOTHER),
    );
  };
}
