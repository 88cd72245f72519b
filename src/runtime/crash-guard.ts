import { shutdown } from './shutdown.js';

// PostgreSQL's connection-exception (08) and operator-intervention (57: admin or crash
// shutdown, cannot connect now) classes, and what the socket says when the server goes away.
const WAREHOUSE_SQLSTATE = /^(08|57P0)/;
const WAREHOUSE_ERRNO = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT']);
const WAREHOUSE_MESSAGE = /^Connection terminated( unexpectedly)?$|^terminating connection due to administrator command$/;

/** An error about a lost warehouse connection, as opposed to a fault of this program. */
export function isWarehouseConnectionError(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && (WAREHOUSE_SQLSTATE.test(code) || WAREHOUSE_ERRNO.has(code))) return true;
  return WAREHOUSE_MESSAGE.test(error.message);
}

let guarded = false;

/**
 * The last resort for errors nothing else caught. A lost warehouse connection that escaped
 * every handler is logged and the process keeps serving: the next query reconnects, and a
 * warehouse that is down is answered with 503s. Anything else is a bug: print it, stop the
 * servers this process started (Cube, the embedded PostgreSQL) and exit 1, leaving nothing
 * listening.
 */
export function guardProcess(): void {
  if (guarded) return;
  guarded = true;
  // A terminal or pipe that went away (the parent of `npm start | tee` died) must not turn
  // every later log line into an uncaught EPIPE: the output is lost, the service is not.
  for (const stream of [process.stdout, process.stderr]) stream.on('error', () => {});
  const onError = (kind: string) => (error: unknown) => {
    if (isWarehouseConnectionError(error)) {
      console.error(`warn: lost a warehouse connection (${(error as Error).message}); still serving.`);
      return;
    }
    console.error(`Crashed (${kind}): ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    void shutdown(1);
  };
  process.on('uncaughtException', onError('uncaught exception'));
  process.on('unhandledRejection', onError('unhandled rejection'));
}
