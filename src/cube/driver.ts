import postgresDriver from '@cubejs-backend/postgres-driver';
import pg from 'pg';
import { keepPoolErrorsHandled } from './pool-errors.js';
import { buildTimeoutMessage, statementTimeoutMessage } from './warehouse-limits.js';

// The package's module.exports is built in a loop, so Node's ESM loader finds no named exports.
const { PostgresDriver } = postgresDriver;

/** How long to wait for PostgreSQL to accept a connection before failing the query. */
export const connectTimeoutMs = 10_000;

const SSL_MODES_WITHOUT_TLS = new Set(['disable', 'allow', 'prefer']);

/** The role a driver logs in as, in place of the URL's user. */
export interface DriverLogin {
  user: string;
  password: string;
}

export interface DriverOptions {
  login?: DriverLogin;
  /** Set on every connection before each query (Cube's driver runs `SET statement_timeout`). */
  statementTimeoutSeconds?: number;
  /** The same for the statements that build rollups. */
  buildTimeoutSeconds?: number;
  /** Connections the driver may hold; Cube's default is 8, per driver, so per tenant here. */
  maxPoolSize?: number;
}

/**
 * Connection options for Cube's PostgreSQL driver, taken from the URL alone. Every key is set,
 * even to `undefined`, because the driver fills unset keys from CUBEJS_DB_* variables and the
 * URL must be the only source.
 */
function postgresDriverOptions(databaseUrl: string, login?: DriverLogin) {
  const url = new URL(databaseUrl);
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`Expected a postgres:// URL for the warehouse, got ${url.protocol}//…`);
  }
  const sslMode = url.searchParams.get('sslmode') ?? 'disable';
  return {
    host: url.hostname || undefined,
    port: url.port ? Number(url.port) : 5432,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined,
    user: login?.user ?? (url.username ? decodeURIComponent(url.username) : undefined),
    password: login?.password ?? (url.password ? decodeURIComponent(url.password) : undefined),
    ssl: SSL_MODES_WITHOUT_TLS.has(sslMode) ? false : { rejectUnauthorized: sslMode === 'verify-full' || sslMode === 'verify-ca' },
    // pg waits for a connection forever by default; a warehouse that is down must fail the query instead.
    connectionTimeoutMillis: connectTimeoutMs,
  };
}

type Connection = ReturnType<typeof postgresDriverOptions> & { maxPoolSize?: number };

type CancellableRows<R> = Promise<R[]> & { cancel(): Promise<void> };

/**
 * Cube's PostgreSQL driver, with two changes to `query`, which serves both queries and rollup
 * builds:
 * - it can be cancelled. Cube's queue cancels a query nobody polls for any more (orphanedTimeout)
 *   through a `cancel` on the promise the driver returns, and 0.35.81's PostgreSQL driver returns
 *   none, so the statement ran on to its end. Cancelling sends pg_cancel_backend from a
 *   connection of its own (the role may cancel its own statements), not from the busy pool.
 * - every statement goes through the extended protocol, one statement per call, so SQL injected
 *   into a query cannot add a second (`; ALTER ROLE …`). pg uses the simple protocol, which runs
 *   several, when a query has no parameters.
 * - a rollup build (`loadPreAggregationIntoTable`) runs under the build timeout, not the queries'.
 * A statement timeout becomes a message naming the limit instead of PostgreSQL's bare one.
 */
export class EngagementPostgresDriver extends PostgresDriver {
  constructor(
    private readonly connection: Connection,
    private readonly timeouts: Pick<DriverOptions, 'statementTimeoutSeconds' | 'buildTimeoutSeconds'>,
  ) {
    const { statementTimeoutSeconds } = timeouts;
    super({ ...connection, ...(statementTimeoutSeconds === undefined ? {} : { executionTimeout: statementTimeoutSeconds }) });
    keepPoolErrorsHandled(this.pool);
  }

  override query<R = unknown>(query: string, values?: unknown[]): CancellableRows<R> {
    return this.run<R>(query, values, 'query');
  }

  override loadPreAggregationIntoTable(_table: string, loadSql: string, params: unknown[]): CancellableRows<unknown> {
    return this.run(loadSql, params, 'build');
  }

  private run<R>(query: string, values: unknown[] | undefined, kind: 'query' | 'build'): CancellableRows<R> {
    let running: number | undefined;
    const { buildTimeoutSeconds } = this.timeouts;
    const run = async (): Promise<R[]> => {
      const conn = await this.pool.connect();
      try {
        running = (conn as unknown as { processID: number }).processID;
        // Cube's driver sets statement_timeout on the connection before each statement.
        await this.prepareConnection(
          conn,
          kind === 'build' && buildTimeoutSeconds !== undefined ? { executionTimeout: buildTimeoutSeconds * 1000 } : undefined,
        );
        const result = await conn.query({
          text: query,
          values: values ?? [],
          types: { getTypeParser: this.getTypeParser },
          queryMode: 'extended',
        } as pg.QueryConfig);
        return result.rows as R[];
      } catch (error) {
        throw this.explain(error, kind);
      } finally {
        running = undefined;
        conn.release();
      }
    };
    const promise = run() as CancellableRows<R>;
    promise.cancel = async () => {
      if (running !== undefined) await this.cancelBackend(running);
    };
    return promise;
  }

  private async cancelBackend(pid: number): Promise<void> {
    const client = new pg.Client(this.connection);
    await client.connect();
    try {
      await client.query('SELECT pg_cancel_backend($1)', [pid]);
    } finally {
      await client.end();
    }
  }

  private explain(error: unknown, kind: 'query' | 'build'): unknown {
    const { code, message } = error as { code?: string; message?: string };
    if (code !== '57014' || !message?.includes('statement timeout')) return error;
    const { statementTimeoutSeconds, buildTimeoutSeconds } = this.timeouts;
    if (kind === 'build' && buildTimeoutSeconds !== undefined) return new Error(buildTimeoutMessage(buildTimeoutSeconds));
    if (statementTimeoutSeconds !== undefined) return new Error(statementTimeoutMessage(statementTimeoutSeconds));
    return error;
  }
}

/** A driver for one data source; Cube calls the factory again after a failed connection test. */
export function createPostgresDriver(databaseUrl: string, options: DriverOptions = {}): EngagementPostgresDriver {
  const connection = {
    ...postgresDriverOptions(databaseUrl, options.login),
    ...(options.maxPoolSize === undefined ? {} : { maxPoolSize: options.maxPoolSize }),
  };
  return new EngagementPostgresDriver(connection, options);
}
