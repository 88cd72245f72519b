import { ApiGateway, UserError } from '@cubejs-backend/api-gateway';
import type { CubeQuery } from '@engagement/contract';
import { isBreakdown, queryMembers, type MemberOwners } from './query/members.js';
import { unrelatedFacts, unrelatedFactsMessage, type JoinEdge } from './query/unrelated-facts.js';

// The parts of a compiled query the guard reads: what CompilerApi#getSql returns, and Cube's SQL
// generator (BaseQuery) with the join tree it built for the query.
interface CompiledQuery {
  preAggregations?: { type: string }[];
}
interface SqlGenerator {
  join: { joins: JoinEdge[] } | null;
  cubeEvaluator: MemberOwners;
}
interface CompilerApi {
  getSqlGenerator(query: unknown, dataSource: undefined): Promise<{ sqlGenerator: SqlGenerator }>;
}
// Cube's (private) compiler of a request's queries, which every query that runs goes through.
interface Gateway {
  getSqlQueriesInternal(context: unknown, normalizedQueries: object[]): Promise<CompiledQuery[]>;
  getCompilerApi(context: unknown): Promise<CompilerApi>;
  coerceForSqlQuery(query: object, context: unknown): unknown;
}

let applied = false;

/**
 * Every query that runs (/load, /subscribe, the SQL API) is compiled by the gateway's
 * getSqlQueriesInternal. A query that would join unrelated facts row by row is refused there with
 * a 400, unless Cube's own pre-aggregation matching found a rollup that answers it (its compiled
 * query then lists that rollup). /v1/sql and /v1/dry-run compile without running and still
 * answer. Patched on Cube's class, so the stock image's gateway gets it too (docker-config.ts).
 */
export function refuseUnrelatedFacts(): void {
  if (applied) return;
  applied = true;
  const prototype = ApiGateway.prototype as unknown as Gateway;
  const getSqlQueriesInternal = prototype.getSqlQueriesInternal;
  prototype.getSqlQueriesInternal = async function (this: Gateway, context, normalizedQueries) {
    const sqlQueries = await getSqlQueriesInternal.call(this, context, normalizedQueries);
    await Promise.all(
      normalizedQueries.map(async (query, index) => {
        if ((sqlQueries[index]!.preAggregations ?? []).some((preAggregation) => preAggregation.type === 'rollup')) return;
        const compilerApi = await this.getCompilerApi(context);
        const { sqlGenerator } = await compilerApi.getSqlGenerator(this.coerceForSqlQuery(query, context), undefined);
        const members = queryMembers(query as CubeQuery, sqlGenerator.cubeEvaluator);
        const pairs = unrelatedFacts(
          members.map((member) => member.cube).filter((cube) => !isBreakdown(cube, sqlGenerator.cubeEvaluator)),
          sqlGenerator.join?.joins ?? [],
        );
        if (pairs.length) throw new UserError(unrelatedFactsMessage(members, pairs));
      }),
    );
    return sqlQueries;
  };
}
