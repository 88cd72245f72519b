import type { ProbeResponse } from './http.js';
import type { RouteKind } from './routes.js';

export type Row = Record<string, unknown>;

/** What a route answered, before anything about its data is checked. */
export type Outcome = 'ok' | 'refused' | '5xx' | 'timeout' | 'bad';

/** Refusals by the HTTP server itself, before Cube: no JSON body is due. */
const TRANSPORT_REFUSALS = new Set([413, 414, 431]);

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Cube's compact form (`responseFormat: 'compact'`) as rows. */
function asRows(data: unknown): Row[] | null {
  if (Array.isArray(data) && data.every(isObject)) return data;
  if (isObject(data) && Array.isArray(data.members) && Array.isArray(data.dataset)) {
    const members = data.members as string[];
    return (data.dataset as unknown[][]).map((values) => Object.fromEntries(members.map((m, i) => [m, values[i]])));
  }
  return null;
}

/** A GraphQL answer's rows, nested objects flattened to dotted keys. */
function graphqlRows(body: unknown): Row[] | null {
  const cube = isObject(body) && isObject(body.data) ? body.data.cube : undefined;
  if (!Array.isArray(cube)) return null;
  const flatten = (value: unknown, prefix: string, into: Row): Row => {
    if (isObject(value)) for (const [key, inner] of Object.entries(value)) flatten(inner, prefix ? `${prefix}.${key}` : key, into);
    else into[prefix] = value;
    return into;
  };
  return cube.map((entry) => flatten(entry, '', {}));
}

/** The row sets of a successful answer (one per query), or null when it is not the shape the route promises. */
export function rowSets(kind: RouteKind, body: unknown): Row[][] | null {
  if (kind === 'rows') {
    const rows = isObject(body) ? asRows(body.data) : null;
    return rows ? [rows] : null;
  }
  if (kind === 'multi') {
    if (!isObject(body) || !Array.isArray(body.results)) return null;
    const sets = body.results.map((r) => (isObject(r) ? asRows(r.data) : null));
    return sets.every((s): s is Row[] => s !== null) ? sets : null;
  }
  if (kind === 'graphql') {
    const rows = graphqlRows(body);
    return rows ? [rows] : null;
  }
  return null;
}

function okShape(kind: RouteKind, body: unknown): boolean {
  if (kind === 'sql') return sqlStatements(body) !== null;
  if (kind === 'dry-run') return isObject(body) && Array.isArray(body.normalizedQueries);
  return rowSets(kind, body) !== null;
}

/**
 * A clean refusal is a 4xx whose JSON names the problem in `error` (GraphQL: a 200 or 4xx with
 * `errors` and no data, GraphQL's own way of refusing). Anything else that is not a well-formed
 * success is a wrong answer.
 */
export function classify(kind: RouteKind, response: ProbeResponse): Outcome {
  if (response.timedOut) return 'timeout';
  const { status, body } = response;
  if (status === null) return 'bad';
  if (status >= 500) return '5xx';
  const graphqlErrors =
    kind === 'graphql' && isObject(body) && Array.isArray(body.errors) && body.errors.length > 0 && !isObject(body.data);
  if (status >= 400 && status < 500) {
    if (TRANSPORT_REFUSALS.has(status)) return 'refused';
    if (kind === 'graphql' && (graphqlErrors || [401, 403, 404, 405, 410].includes(status))) return 'refused';
    return isObject(body) && typeof body.error === 'string' && body.error.length > 0 ? 'refused' : 'bad';
  }
  if (status >= 200 && status < 300) {
    if (graphqlErrors) return 'refused';
    return okShape(kind, body) ? 'ok' : 'bad';
  }
  return 'bad';
}

/** `/v1/sql`'s statements: one for a plain query, one per range for compareDateRange. */
export function sqlStatements(body: unknown): [string, unknown[]][] | null {
  const entries = Array.isArray(body) ? body : [body];
  const statements = entries.map((entry) => {
    const sql = isObject(entry) && isObject(entry.sql) ? entry.sql.sql : undefined;
    return Array.isArray(sql) && typeof sql[0] === 'string' && Array.isArray(sql[1]) ? (sql as [string, unknown[]]) : null;
  });
  return statements.length > 0 && statements.every((s) => s !== null) ? (statements as [string, unknown[]][]) : null;
}

/**
 * Whether a statement binds the token's tenant and compares a column with it (`"cube".tenant_id = $1`, a rollup's
 * `"cube__tenant_id" = $1`; the tenants cube's column is `id`). A weak check by itself: running the statement on both
 * warehouses (sql-oracle.ts) is the one that shows whether it reads other tenants' rows.
 */
export function sqlIsScoped([sql, params]: [string, unknown[]], tenant: string): boolean {
  for (const match of sql.matchAll(/([\w".]+)\s*=\s*\$(\d+)\b/g)) {
    const column = match[1]!.replaceAll('"', '');
    if ((column.includes('tenant_id') || column.endsWith('.id')) && params[Number(match[2]) - 1] === tenant) return true;
  }
  return false;
}

/** The cube or view of every member a normalized query names anywhere; null when one is not a `cube.member` name. */
function cubesNamed(query: Record<string, unknown>): Set<string> | null {
  const names: unknown[] = [];
  const list = (value: unknown) => (Array.isArray(value) ? value : []);
  // Cube 0.35.81's getPivotQuery (api-gateway dist/src/query.js) prepends the pseudo-dimension
  // `compareDateRange` to the first normalized query of a comparison, in place: no cube's member.
  const dimensions = list(query.dimensions).filter((d, i) => !(i === 0 && d === 'compareDateRange'));
  names.push(...list(query.measures), ...dimensions, ...list(query.segments));
  names.push(...list(query.timeDimensions).map((td) => (isObject(td) ? td.dimension : td)));
  const filterMembers = (filters: unknown[]): void => {
    for (const f of filters) {
      if (!isObject(f)) names.push(f);
      else if (Array.isArray(f.and) || Array.isArray(f.or)) filterMembers([...list(f.and), ...list(f.or)]);
      else {
        // A leaf names its member in `member`, `dimension` or both; one naming neither fails below.
        if (f.member !== undefined || f.dimension === undefined) names.push(f.member);
        if (f.dimension !== undefined) names.push(f.dimension);
      }
    }
  };
  filterMembers(list(query.filters));
  // Normalized order is [{ id, desc }]; the REST form's [[member, dir]] and { member: dir } are read too.
  const order = query.order;
  if (Array.isArray(order)) names.push(...order.map((o) => (isObject(o) ? o.id : Array.isArray(o) ? o[0] : o)));
  else if (isObject(order)) names.push(...Object.keys(order));
  const cubes = new Set<string>();
  for (const name of names) {
    if (typeof name !== 'string' || !/^[^.]+\./.test(name)) return null;
    cubes.add(name.split('.')[0]!);
  }
  return cubes;
}

const isTenantEquals = (f: unknown, member: string, tenant: string): boolean =>
  isObject(f) &&
  Object.keys(f).length === 3 &&
  f.member === member &&
  f.operator === 'equals' &&
  Array.isArray(f.values) &&
  f.values.length === 1 &&
  f.values[0] === tenant;
const isTenantNotSet = (f: unknown, member: string): boolean =>
  isObject(f) && Object.keys(f).length === 2 && f.member === member && f.operator === 'notSet';

/**
 * Whether a top-level (ANDed) filter limits `cube` to the tenant: `cube.tenant_id equals [tenant]`,
 * or exactly `{ or: [that, cube.tenant_id notSet] }`. The OR (what a query on several cubes gets,
 * so LEFT JOINs keep their unmatched rows) is as tight: tenant_id is NOT NULL in every table, so it
 * is NULL only on the empty side of a missed join, and the root cube's rows (never NULL) are the tenant's.
 */
function scopesCube(filters: unknown[], cube: string, tenant: string): boolean {
  const member = `${cube}.tenant_id`;
  return filters.some((f) => {
    if (isTenantEquals(f, member, tenant)) return true;
    if (!isObject(f) || Object.keys(f).length !== 1 || !Array.isArray(f.or) || f.or.length !== 2) return false;
    const [a, b] = f.or as unknown[];
    return (
      (isTenantEquals(a, member, tenant) && isTenantNotSet(b, member)) || (isTenantEquals(b, member, tenant) && isTenantNotSet(a, member))
    );
  });
}

/** Whether every query of a dry run limits every cube and view it names to the tenant, at its top level. */
export function dryRunIsScoped(body: unknown, tenant: string): boolean {
  const queries = isObject(body) && Array.isArray(body.normalizedQueries) ? body.normalizedQueries : [];
  return (
    queries.length > 0 &&
    queries.every((q) => {
      if (!isObject(q) || !Array.isArray(q.filters)) return false;
      const cubes = cubesNamed(q);
      return cubes !== null && cubes.size > 0 && [...cubes].every((cube) => scopesCube(q.filters as unknown[], cube, tenant));
    })
  );
}

/** Rows that name another tenant in a tenant column (`<cube>.tenant_id`, GraphQL's `….tenant_id`). */
export function rowsNamingAnotherTenant(rows: Row[], tenant: string): Row[] {
  return rows.filter((row) =>
    Object.entries(row).some(([key, value]) => (key === 'tenant_id' || key.endsWith('.tenant_id')) && value !== null && value !== tenant),
  );
}

/**
 * Other tenants' ids that appear in an answer (data, error message, SQL) although neither the
 * request nor the token carried them: something read them from the warehouse.
 */
export function leakedTenantIds(responseText: string, requestText: string, foreign: readonly string[]): string[] {
  return foreign.filter((id) => id.length >= 3 && responseText.includes(id) && !requestText.includes(id));
}

/** A value as compared: numbers (and numeric strings) to 9 significant digits, so float noise is no difference. */
function canonicalValue(value: unknown): unknown {
  if (typeof value === 'number') return Number(value.toPrecision(9));
  if (typeof value === 'string' && /^-?\d+(\.\d+)?(e[+-]?\d+)?$/i.test(value)) return Number(Number(value).toPrecision(9));
  return value;
}

function canonicalRow(row: Row): string {
  return JSON.stringify(
    Object.keys(row)
      .sort()
      .map((key) => [key, canonicalValue(row[key])]),
  );
}

export interface Comparison {
  /** Rows of the answer that the tenant's own data does not give: another tenant's. */
  foreign: Row[];
  /** Rows the tenant's own data gives that the answer lacks (only counted when the answer is whole). */
  missing: number;
  /** The answer has the wrong number of rows for its page. */
  wrongCount: boolean;
}

/**
 * Compares an answer with the oracle's whole answer. Unpaged, they must be equal as multisets
 * of rows; paged, the answer must be part of the whole one and as long as the page allows (which
 * rows fill a page with ties in its order is the database's choice, not a leak).
 */
export function compareRows(answer: Row[], whole: Row[], page: { limit?: number; offset?: number } | null): Comparison {
  const remaining = new Map<string, number>();
  for (const row of whole) {
    const key = canonicalRow(row);
    remaining.set(key, (remaining.get(key) ?? 0) + 1);
  }
  const foreign: Row[] = [];
  for (const row of answer) {
    const key = canonicalRow(row);
    const left = remaining.get(key) ?? 0;
    if (left === 0) foreign.push(row);
    else remaining.set(key, left - 1);
  }
  if (!page) return { foreign, missing: whole.length - (answer.length - foreign.length), wrongCount: answer.length !== whole.length };
  const offset = page.offset ?? 0;
  const expected = Math.max(0, Math.min(page.limit ?? Number.POSITIVE_INFINITY, whole.length - offset));
  return { foreign, missing: 0, wrongCount: answer.length !== expected };
}
