import { UserError } from '@cubejs-backend/api-gateway';
import { dateParser } from '@cubejs-backend/api-gateway/dist/src/dateParser.js';
import { InvalidQueryError } from './error.js';
import type { ResolveRange } from './limits.js';

/**
 * A relative range resolved by Cube's own parser, as its normalizer will. That parser throws a
 * TypeError (a 500) when the end of "from … to …" does not parse, because it checks the start
 * twice, and returns "Invalid date" for years it cannot represent.
 */
export const resolveRelativeRange: ResolveRange = (range, timezone) => {
  let resolved: unknown;
  try {
    resolved = dateParser(range, timezone);
  } catch (error) {
    if (error instanceof UserError) throw error;
    resolved = undefined;
  }
  if (
    Array.isArray(resolved) &&
    resolved.length === 2 &&
    resolved.every((date) => typeof date === 'string' && !Number.isNaN(Date.parse(date)))
  ) {
    return resolved as [string, string];
  }
  throw new InvalidQueryError(
    `Invalid query: dateRange ${JSON.stringify(range)} is not a range Cube can read: use "last 7 days", "from 3 days ago to now" or ["YYYY-MM-DD", "YYYY-MM-DD"].`,
  );
};
