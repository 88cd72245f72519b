import { BaseFilter, PostgresQuery } from '@cubejs-backend/schema-compiler';

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
 * PostgreSQL's dialect with two changes; Cube uses it through `dialectFactory`:
 * - pattern filters match their value literally (LiteralPatternFilter);
 * - the subqueries of one query (one per rolling-window measure, plus the regular measures) are
 *   joined on their dimensions with hashable keys. Retention by customer at second grain over two
 *   minutes joined five subqueries of 600,000 rows pairwise in nested loops, past 120 s.
 */
export class EngagementPostgresQuery extends PostgresQuery {
  override newFilter(filter: unknown): BaseFilter {
    return new LiteralPatternFilter(this, filter);
  }

  override dimensionsJoinCondition(leftAlias: string, rightAlias: string): string {
    const aliases: string[] = this.dimensionAliasNames();
    if (!aliases.length) return '1 = 1';
    return aliases
      .map((alias) => `${nullSafeJoinKey(`${leftAlias}.${alias}`)} = ${nullSafeJoinKey(`${rightAlias}.${alias}`)}`)
      .join(' AND ');
  }
}
