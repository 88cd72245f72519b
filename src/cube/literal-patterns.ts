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

/** PostgreSQL's dialect with literal pattern filters; Cube uses it through `dialectFactory`. */
export class EngagementPostgresQuery extends PostgresQuery {
  override newFilter(filter: unknown): BaseFilter {
    return new LiteralPatternFilter(this, filter);
  }
}
