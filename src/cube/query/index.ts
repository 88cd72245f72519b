import { z } from 'zod';
import { InvalidQueryError } from './error.js';
import { describeIssue } from './issues.js';
import { assertWithinLimits, type QueryLimits, type ResolveRange } from './limits.js';
import { isTimeZoneName, cubeQuerySchema, type CubeQuery } from '@engagement/contract';
import { ModelCheck, type ModelIndex } from './semantics.js';

export { InvalidQueryError } from './error.js';
export { assertSaneStructure } from './structure.js';
export { indexModel, type ModelIndex, type ModelMeta } from './semantics.js';
export type { QueryLimits } from './limits.js';

const queryArray = z.array(cubeQuerySchema).min(1, 'expected at least one query');

/** The request's queries, typed; a single query is the one-element case. */
export function parseQueries(input: unknown): CubeQuery[] {
  if (Array.isArray(input)) {
    const parsed = queryArray.safeParse(input);
    if (!parsed.success) throw new InvalidQueryError(describeIssue(parsed.error, 'query array'));
    return parsed.data;
  }
  const parsed = cubeQuerySchema.safeParse(input);
  if (!parsed.success) throw new InvalidQueryError(describeIssue(parsed.error));
  return [parsed.data];
}

/**
 * Every check a decoded request passes before Cube compiles it: its shape (unknown fields
 * refused), its cost, and its members, operators and values against the compiled model.
 */
export function validateQueries(input: unknown, limits: QueryLimits, model: ModelIndex, resolveRange: ResolveRange): CubeQuery[] {
  const queries = parseQueries(input);
  assertWithinLimits(queries, limits, resolveRange);
  const check = new ModelCheck(model);
  queries.forEach((query, index) => check.check(query, queries.length > 1 || Array.isArray(input) ? `[${index}].` : ''));
  return queries;
}

/** The time zone of each query is an IANA name (for queries that do not follow the REST schema). */
export function assertTimeZones(input: unknown): void {
  for (const query of Array.isArray(input) ? input : [input]) {
    const { timezone } = (query ?? {}) as { timezone?: unknown };
    if (timezone !== undefined && (typeof timezone !== 'string' || !isTimeZoneName(timezone))) {
      throw new InvalidQueryError(
        `Invalid query: timezone: expected an IANA time zone name such as "UTC" or "America/New_York", got ${JSON.stringify(timezone)}.`,
      );
    }
  }
}
