import type { IncomingMessage, ServerResponse } from 'node:http';
import pg from 'pg';

/** A probe must answer quickly: an orchestrator polls it every few seconds. */
const PROBE_TIMEOUT_MS = 2_000;

type Next = () => void;

async function warehouseProblem(databaseUrl: string): Promise<string | undefined> {
  const client = new pg.Client({
    connectionString: databaseUrl,
    connectionTimeoutMillis: PROBE_TIMEOUT_MS,
    query_timeout: PROBE_TIMEOUT_MS,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('SELECT 1');
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

function send(res: ServerResponse, status: number, body: object): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}

/**
 * Health probes answered before Cube's own: Cube 0.35.81's /readyz only says the HTTP API is
 * up, and its /livez checks only the data sources a query has already opened, so both said
 * healthy while the warehouse was down.
 *
 * - `/readyz`: 200 `{ health: 'HEALTH' }` when the warehouse answers `SELECT 1` within 2 s,
 *   else 503 `{ health: 'DOWN', error }` saying why: take this instance out of rotation.
 * - `/livez`: 200 while the process serves HTTP. A warehouse outage is not a reason to restart
 *   Cube (it reconnects by itself once the warehouse is back), so liveness does not depend on it.
 *
 * Concurrent /readyz calls share one connection attempt.
 */
export function healthProbes(databaseUrl: string) {
  let inFlight: Promise<string | undefined> | undefined;
  const check = () => (inFlight ??= warehouseProblem(databaseUrl).finally(() => (inFlight = undefined)));
  return (req: IncomingMessage, res: ServerResponse, next: Next): void => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    if ((req.method !== 'GET' && req.method !== 'HEAD') || (path !== '/readyz' && path !== '/livez')) return next();
    if (path === '/livez') return send(res, 200, { health: 'HEALTH' });
    void check().then((problem) =>
      problem === undefined
        ? send(res, 200, { health: 'HEALTH' })
        : send(res, 503, { health: 'DOWN', error: `The warehouse is unreachable (${problem}).` }),
    );
  };
}
