import { BaseFilter, PostgresQuery, UserError, type BaseTimeDimension } from '@cubejs-backend/schema-compiler';
import { tooLarge } from './query/limits.js';

/** The operators Cube 0.35.81 writes as `ILIKE` with the value between `%` wildcards. */
const patternOperators = new Set(['contains', 'notContains', 'startsWith', 'notStartsWith', 'endsWith', 'notEndsWith']);

/**
 * A filter whose value is matched literally. Cube 0.35.81 escapes `%` and `_` only for
 * contains/notContains and never the escape character itself, so a value ending in `\` made
 * PostgreSQL fail the query ("LIKE pattern must not end with escape character") and `startsWith
 * "%"` matched every row.
 */
class LiteralPatternFilter extends BaseFilter {
  override isWildcardOperator(): boolean {
    return patternOperators.has(this.camelizeOperator);
  }

  override escapeWildcardChars(param: unknown): unknown {
    return typeof param === 'string' ? param.replace(/[\\%_]/g, '\\$&') : param;
  }
}

/**
 * A column's value as a text key in which NULL equals NULL: `key(a) = key(b)` is a join condition
 * PostgreSQL can hash, where `a = b OR (a IS NULL AND b IS NULL)` leaves it a nested loop over
 * every pair of rows.
 */
export const nullSafeJoinKey = (column: string): string => `COALESCE('v' || ${column}::text, 'n')`;

/**
 * PostgreSQL's dialect with three changes; Cube uses it through `dialectFactory`:
 * - pattern filters match their value literally (LiteralPatternFilter);
 * - the subqueries of one query (one per rolling-window measure, plus the regular measures) are
 *   joined on their dimensions with hashable keys. Retention by customer at second grain over two
 *   minutes joined five subqueries of 600,000 rows pairwise in nested loops, past 120 s;
 * - a rolling window's time series is bounded (`maxRollingPeriods`). Cube joins every period to
 *   the rows of its window, so the cost is periods × rows, and only here is it known which
 *   measures have a window: through views and calculated measures, which /v1/meta does not say.
 */
export class EngagementPostgresQuery extends PostgresQuery {
  /** QUERY_MAX_ROLLING_PERIODS; set on the subclass `postgresDialect` makes. */
  static maxRollingPeriods = Number.POSITIVE_INFINITY;

  override newFilter(filter: unknown): BaseFilter {
    return new LiteralPatternFilter(this, filter);
  }

  // Cube calls this only for the time series of rolling-window measures (BaseQuery#overTimeSeriesQuery).
  override dateSeriesSql(timeDimension: BaseTimeDimension): string {
    const periods = timeDimension.timeSeries().length;
    const limit = (this.constructor as typeof EngagementPostgresQuery).maxRollingPeriods;
    if (periods > limit) {
      // A UserError is Cube's 400 with this message.
      throw new UserError(
        tooLarge(
          `a rolling-window measure (computed period by period) over ${periods.toLocaleString('en-US')} periods of "${timeDimension.dimension}"`,
          limit,
          'QUERY_MAX_ROLLING_PERIODS',
          'Choose a coarser granularity or a shorter dateRange.',
        ),
      );
    }
    return super.dateSeriesSql(timeDimension);
  }

  override dimensionsJoinCondition(leftAlias: string, rightAlias: string): string {
    const aliases: string[] = this.dimensionAliasNames();
    if (!aliases.length) return '1 = 1';
    return aliases
      .map((alias) => `${nullSafeJoinKey(`${leftAlias}.${alias}`)} = ${nullSafeJoinKey(`${rightAlias}.${alias}`)}`)
      .join(' AND ');
  }
}

const dialects = new Map<number, typeof EngagementPostgresQuery>();

/** The dialect with the given bound on rolling-window periods (one class per bound). */
export function postgresDialect(maxRollingPeriods: number): typeof EngagementPostgresQuery {
  let dialect = dialects.get(maxRollingPeriods);
  if (!dialect) {
    dialect = class extends EngagementPostgresQuery {
      static override maxRollingPeriods = maxRollingPeriods;
    };
    dialects.set(maxRollingPeriods, dialect);
  }
  return dialect;
}
