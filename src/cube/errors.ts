import { CubejsHandlerError, UserError } from '@cubejs-backend/api-gateway';
import { InvalidQueryError } from './query/index.js';
import { isStatementTimeout } from './warehouse-limits.js';

// What pg and PostgreSQL say when the warehouse is down, restarting or unreachable (pg's "not
// queryable": a pooled connection the warehouse dropped while it was between two statements).
const WAREHOUSE_UNREACHABLE =
  /ECONNREFUSED|ECONNRESET|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|ENOTFOUND|EAI_AGAIN|timeout exceeded when trying to connect|Connection terminated|the database system is (starting up|shutting down|in recovery mode)|terminating connection due to administrator command|Client has encountered a connection error and is not queryable/;

function errorText(error: unknown): string {
  if (typeof error === 'string') return error;
  if (typeof error !== 'object' || error === null) return String(error);
  // The query orchestrator rejects with `{ error: 'Error: …' }` objects rather than Errors.
  const { message, error: inner } = error as { message?: unknown; error?: unknown };
  if (typeof message === 'string' && message) return message;
  if (inner !== undefined) return errorText(inner);
  return String(error);
}

/** Errors from the HTTP layer (body-parser) follow http-errors: a 4xx `status` and `expose: true`. */
function isExposedHttpError(error: unknown): error is Error & { status: number; type?: string; limit?: number } {
  if (!(error instanceof Error)) return false;
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && expose === true;
}

function httpErrorMessage(error: Error & { type?: string; limit?: number }): string {
  if (error.type === 'entity.parse.failed') return `Malformed JSON in the request body: ${error.message}`;
  if (error.type === 'entity.too.large')
    return `The request body is larger than ${error.limit?.toLocaleString('en-US')} bytes, the limit (QUERY_MAX_BODY_BYTES).`;
  return error.message;
}

/**
 * Gives errors that Cube 0.35.81 answers as 500, or as a 400 that blames the client, the status
 * and message that say what happened. Anything else is returned unchanged for Cube to handle.
 */
export function toClientError(error: unknown): unknown {
  if (error instanceof CubejsHandlerError) return error;
  if (error instanceof InvalidQueryError) return new UserError(error.message);
  if (isExposedHttpError(error)) {
    return new CubejsHandlerError(error.status, 'User Error', httpErrorMessage(error));
  }
  const text = errorText(error);
  // Thrown as a plain Error by the gateway's query normalizer, so it came back as a 500.
  if (text === 'The query limit has been exceeded.') {
    // Cube's own variable and default (@cubejs-backend/shared's env.dbQueryLimit).
    const max = Number(process.env.CUBEJS_DB_QUERY_LIMIT || 50_000).toLocaleString('en-US');
    return new UserError(
      `The query limit has been exceeded: \`limit\` is at most ${max} rows (CUBEJS_DB_QUERY_LIMIT); ask for fewer rows or page with \`offset\`.`,
    );
  }
  // A statement stopped at CUBE_STATEMENT_TIMEOUT is refused like the other limits: a 400 naming
  // the limit and its variable (the orchestrator passes it on as "Error: …" text). Not a 504, which
  // the Grafana data source's client and proxies retry: the same query would only time out again.
  if (isStatementTimeout(text)) return new UserError(text.replace(/^Error: /, ''));
  // The orchestrator reports a failed connection as a 400, as if the query were wrong.
  if (WAREHOUSE_UNREACHABLE.test(text)) {
    return new CubejsHandlerError(
      503,
      'Service Unavailable',
      `The warehouse is unreachable (${text.replace(/^Error: /, '')}). Try again once it is back.`,
    );
  }
  return error;
}

/** Error bodies without `stack`: a stack trace says nothing to an API client and shows server paths. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Cube's result callbacks take a message of any shape.
export function withoutStack<R extends (message: any, extra?: { status: number }) => void>(res: R): R {
  return ((message: unknown, extra?: { status: number }) => {
    if (typeof message === 'object' && message !== null && !Array.isArray(message) && 'stack' in message) {
      const { stack: _stack, ...rest } = message as Record<string, unknown>;
      return res(rest, extra);
    }
    return res(message, extra);
  }) as R;
}
