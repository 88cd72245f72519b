import { UserError } from '@cubejs-backend/api-gateway';

const ISO_DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2})?)?$/;

/** A calendar date (optionally with a time) that exists: 2026-02-30 and 24:61 do not. */
function isIsoDate(value: unknown): boolean {
  if (typeof value !== 'string') return false;
  const match = ISO_DATE_TIME.exec(value);
  if (!match) return false;
  const [year, month, day, hour = 0, minute = 0, second = 0] = match.slice(1).map((part) => (part === undefined ? undefined : Number(part)));
  const date = new Date(Date.UTC(year!, month! - 1, day!));
  return (
    date.getUTCFullYear() === year && date.getUTCMonth() === month! - 1 && date.getUTCDate() === day &&
    hour < 24 && minute < 60 && second < 60
  );
}

function checkRange(range: unknown, dimension: unknown): void {
  // A string is a relative range ("last 7 days"), which Cube parses and reports itself.
  if (typeof range === 'string' || range === undefined || range === null) return;
  if (Array.isArray(range) && range.length >= 1 && range.length <= 2 && range.every(isIsoDate)) return;
  throw new UserError(
    `Invalid dateRange ${JSON.stringify(range)} for ${JSON.stringify(dimension)}: expected ` +
      '["YYYY-MM-DD", "YYYY-MM-DD"] (a time may follow each date) or a relative range such as "last 7 days".',
  );
}

const ARRAY_FIELDS = ['measures', 'dimensions', 'segments', 'timeDimensions', 'filters'] as const;

/**
 * Cube 0.35's gateway walks `measures`, `dimensions`, `segments` and `timeDimensions` as arrays
 * before its schema validation runs, so `"measures": "x"` or a `null` query was a 500 TypeError.
 */
function assertQueryShape(query: unknown): asserts query is Record<string, unknown> {
  if (typeof query !== 'object' || query === null || Array.isArray(query)) {
    throw new UserError(`Invalid query format: expected a JSON object, got ${JSON.stringify(query)}.`);
  }
  for (const field of ARRAY_FIELDS) {
    const value = (query as Record<string, unknown>)[field];
    if (value !== undefined && !Array.isArray(value)) {
      throw new UserError(`Invalid query format: "${field}" must be an array.`);
    }
  }
}

/**
 * Cube 0.35 formats each date of an explicit dateRange with moment without checking it, so
 * "2026-13-45" reaches PostgreSQL as the literal 'Invalid date' and fails there with a database
 * error. Checking first gives the caller a message about their input.
 */
function assertValidDateRanges(query: Record<string, unknown>): void {
  for (const td of (query.timeDimensions ?? []) as { dimension?: unknown; dateRange?: unknown; compareDateRange?: unknown }[]) {
    checkRange(td?.dateRange, td?.dimension);
    if (Array.isArray(td?.compareDateRange)) {
      for (const range of td.compareDateRange) checkRange(range, td.dimension);
    }
  }
}

/** Refuses, as a 400 that names the problem, what Cube 0.35.81 would answer with a 500 or a database error. */
export function validateQuery(query: unknown): void {
  // A blending query is an array of queries.
  for (const single of Array.isArray(query) ? query : [query]) {
    assertQueryShape(single);
    assertValidDateRanges(single);
  }
}
