import { UserError } from '@cubejs-backend/api-gateway';
import { assertTimeZones, InvalidQueryError } from './query/index.js';

type Rewrite = <Q extends object>(query: Q, context: { securityContext?: unknown }) => Promise<Q>;

/**
 * The stock cubejs/cube image runs Cube's own gateway, without ours, so there the timezone
 * injection of Cube 0.35.81 is stopped here: queryRewrite sees every REST and SQL API query
 * before it is compiled into SQL.
 */
export function withTimeZoneCheck<R extends Rewrite>(rewrite: R): R {
  return (async (query: object, context: { securityContext?: unknown }) => {
    try {
      assertTimeZones(query);
    } catch (error) {
      throw error instanceof InvalidQueryError ? new UserError(error.message) : error;
    }
    return rewrite(query, context);
  }) as R;
}
