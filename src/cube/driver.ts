import postgresDriver from '@cubejs-backend/postgres-driver';
import type pg from 'pg';
import { keepPoolErrorsHandled } from './pool-errors.js';

// The package's module.exports is built in a loop, so Node's ESM loader finds no named exports.
const { PostgresDriver } = postgresDriver;

/** How long to wait for PostgreSQL to accept a connection before failing the query. */
export const connectTimeoutMs = 10_000;

const SSL_MODES_WITHOUT_TLS = new Set(['disable', 'allow', 'prefer']);

/**
 * Connection options for Cube's PostgreSQL driver, taken from the URL alone. Every key is set,
 * even to `undefined`, because the driver fills unset keys from CUBEJS_DB_* variables and the
 * URL must be the only source.
 */
function postgresDriverOptions(databaseUrl: string) {
  const url = new URL(databaseUrl);
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new Error(`Expected a postgres:// URL for the warehouse, got ${url.protocol}//…`);
  }
  const sslMode = url.searchParams.get('sslmode') ?? 'disable';
  return {
    host: url.hostname || undefined,
    port: url.port ? Number(url.port) : 5432,
    database: decodeURIComponent(url.pathname.replace(/^\//, '')) || undefined,
    user: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    ssl: SSL_MODES_WITHOUT_TLS.has(sslMode) ? false : { rejectUnauthorized: sslMode === 'verify-full' || sslMode === 'verify-ca' },
    // pg waits for a connection forever by default; a warehouse that is down must fail the query instead.
    connectionTimeoutMillis: connectTimeoutMs,
  };
}

/** A driver for one data source; Cube calls the factory again after a failed connection test. */
export function createPostgresDriver(databaseUrl: string): InstanceType<typeof PostgresDriver> {
  const driver = new PostgresDriver(postgresDriverOptions(databaseUrl));
  // The pool is a protected field of the driver; it is the pool every query goes through.
  keepPoolErrorsHandled((driver as unknown as { pool: pg.Pool }).pool);
  return driver;
}
