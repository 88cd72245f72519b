import { compareRows } from './check.js';
import { ORACLE_ROW_CAP, type Route } from './routes.js';
import type { Execution } from './sql-oracle.js';

/** Long texts cut for a report line. */
export const clip = (text: string, max = 1500) => (text.length > max ? `${text.slice(0, max)}… (${text.length} characters)` : text);

/** An execution that ran to its end, with rows or an error. */
export type Finished = Exclude<Execution, { timedOut: number }>;

export const isFinished = (execution: Execution): execution is Finished => !('timedOut' in execution);

/** Where a statement ran past its time limit, which says nothing about whose rows it reads. */
export function unfinishedOn(shared: Execution, own: Execution): string {
  const late = (
    [
      ['the shared warehouse', shared],
      ["the tenant's own rows", own],
    ] as const
  ).flatMap(([where, execution]) => ('timedOut' in execution ? [`${where} (${execution.timedOut} ms)`] : []));
  return `the statement did not finish on ${late.join(' or on ')}`;
}

/** Whether a statement read the same on the shared warehouse and on the tenant's copy; how it differed if not. */
export function sameExecution(a: Finished, b: Finished): string | undefined {
  if ('error' in a || 'error' in b) {
    const [x, y] = ['error' in a ? a.error : `${a.rows.length} rows`, 'error' in b ? b.error : `${b.rows.length} rows`];
    return x === y ? undefined : `shared warehouse: ${clip(x, 300)}; tenant's own rows only: ${clip(y, 300)}`;
  }
  if (a.rows.length > ORACLE_ROW_CAP || b.rows.length > ORACLE_ROW_CAP) return undefined;
  const { foreign, missing } = compareRows(a.rows, b.rows, null);
  return foreign.length || missing
    ? `${foreign.length} rows only with other tenants' rows present (e.g. ${clip(JSON.stringify(foreign.slice(0, 3)), 300)}), ${missing} missing`
    : undefined;
}

/** The effective page of each query of an answer, as Cube normalized it (its default limit included). */
export function pagesOf(route: Route, body: unknown): ({ limit?: number; offset?: number } | null)[] {
  const queries =
    route.kind === 'multi'
      ? ((body as { results?: { query?: unknown }[] }).results ?? []).map((r) => r.query)
      : route.kind === 'rows'
        ? [(body as { query?: unknown }).query]
        : [undefined];
  return queries.map((q) => {
    const { limit: rawLimit, offset: rawOffset } = (q ?? {}) as { limit?: unknown; offset?: unknown };
    // Cube's validator converts numeric strings ("3"), and the database then applies them.
    const [limit, offset] = [rawLimit, rawOffset].map((n) => (n === undefined || n === null || n === '' ? Number.NaN : Number(n)));
    const page = { ...(Number.isFinite(limit) ? { limit } : {}), ...(Number.isFinite(offset) && offset! > 0 ? { offset } : {}) };
    return Object.keys(page).length ? page : null;
  });
}

/** A difference in `total` (the count of all rows a paged query has), if the query asked for it. */
export function totalsOf(answer: unknown, whole: unknown): string | undefined {
  const total = (answer as { total?: unknown }).total;
  if (typeof total !== 'number') return undefined;
  const wholeRows = (whole as { data?: unknown[] }).data;
  const expected = (whole as { total?: unknown }).total ?? wholeRows?.length;
  return Number(total) === Number(expected) ? undefined : `total ${total} where the tenant's own rows give ${String(expected)}`;
}

/** The start of a refusal's message, numbers and quoted parts blanked, so alike refusals count together. */
export function refusalReason(body: unknown): string {
  const b = body as { error?: unknown; errors?: { message?: unknown }[] } | null;
  const message = String(b?.error ?? b?.errors?.[0]?.message ?? 'no message');
  return message
    .replace(/"[^"]*"|'[^']*'|`[^`]*`/g, '…')
    .replace(/\d+/g, 'N')
    .slice(0, 90);
}

/** A refusal's message, with the names of rollup tables (which differ between servers) blanked. */
export function errorMessage(body: unknown): string | null {
  const b = body as { error?: unknown; errors?: { message?: unknown }[] } | null;
  const message = b?.error ?? b?.errors?.[0]?.message;
  return typeof message === 'string' ? message.replace(/cube_pre_aggregations\.\w+/g, 'cube_pre_aggregations.…') : null;
}
