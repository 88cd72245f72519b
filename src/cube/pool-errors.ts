import type pg from 'pg';

/**
 * Keeps a warehouse that goes away from crashing the process through Cube's driver pool.
 *
 * pg-pool listens for 'error' only on idle clients and removes that listener when it hands a
 * client out. When PostgreSQL stops (`pg_ctl stop -m fast`) it sends every backend "terminating
 * connection due to administrator command"; a client that is checked out but between two
 * queries (Cube's driver runs `SET TIME ZONE`, `SET statement_timeout` and the query one after
 * the other) then emits 'error' with no listener, which Node turns into an uncaught exception.
 * A listener on every client for its whole life makes that error harmless: the client is
 * marked unqueryable, its next query fails (answered as a 503) and the pool discards it.
 *
 * The driver's own pool 'error' listener prints a stack for each idle client lost; one line is
 * enough.
 */
export function keepPoolErrorsHandled(pool: pg.Pool, log: (line: string) => void = (line) => console.error(line)): void {
  ignoreErrorsOfEndingClients(pool);
  pool.removeAllListeners('error');
  pool.on('error', (error) => log(`[cube] warn: lost an idle warehouse connection: ${error.message}`));
}

/**
 * The listener on every client, for pools of our own too: pg's pool also resolves end() before
 * its clients have closed, and a warehouse that terminates them then (a restart, DROP DATABASE …
 * FORCE) would raise an uncaught 'error'. An idle client's error is also re-emitted on the pool
 * (pg-pool's idle listener, once it has dropped the client), so the pool gets a listener too.
 * Errors of a query still reach its caller.
 */
export function ignoreErrorsOfEndingClients(pool: pg.Pool): void {
  pool.on('connect', (client) => client.on('error', () => {}));
  pool.on('error', () => {});
}
