import { CubejsHandlerError, UserError } from '@cubejs-backend/api-gateway';

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
function isExposedHttpError(error: unknown): error is Error & { status: number; type?: string } {
  if (!(error instanceof Error)) return false;
  const { status, expose } = error as { status?: unknown; expose?: unknown };
  return typeof status === 'number' && status >= 400 && status < 500 && expose === true;
}

/**
 * Gives errors that Cube 0.35.81 answers as 500, or as a 400 that blames the client, the status
 * and message that say what happened. Anything else is returned unchanged for Cube to handle.
 */
export function toClientError(error: unknown): unknown {
  if (error instanceof CubejsHandlerError) return error;
  if (isExposedHttpError(error)) {
    const message = error.type === 'entity.parse.failed' ? `Malformed JSON in the request body: ${error.message}` : error.message;
    return new CubejsHandlerError(error.status, 'User Error', message);
  }
  const text = errorText(error);
  // Thrown as a plain Error by the gateway's query normalizer, so it came back as a 500.
  if (text === 'The query limit has been exceeded.') {
    return new UserError('The query limit has been exceeded: ask for fewer rows with `limit`.');
  }
  // The orchestrator reports a failed connection as a 400, as if the query were wrong.
  if (WAREHOUSE_UNREACHABLE.test(text)) {
    return new CubejsHandlerError(503, 'Service Unavailable', `The warehouse is unreachable (${text.replace(/^Error: /, '')}). Try again once it is back.`);
  }
  return error;
}

/** Error bodies without `stack`: a stack trace says nothing to an API client and shows server paths. */
export function withoutStack<R extends (message: any, extra?: { status: number }) => void>(res: R): R {
  return ((message: unknown, extra?: { status: number }) => {
    if (typeof message === 'object' && message !== null && !Array.isArray(message) && 'stack' in message) {
      const { stack: _stack, ...rest } = message as Record<string, unknown>;
      return res(rest, extra);
    }
    return res(message, extra);
  }) as R;
}
