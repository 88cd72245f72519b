import pg from 'pg';
import { connectTimeoutMs } from './driver.js';
import { createTenantDirectory, type TenantDirectory, type TenantDirectoryOptions } from './tenants.js';

/**
 * A directory over one small pool on the warehouse; `close()` ends the pool. Kept apart from
 * tenants.ts, which auth.ts imports: the plugin's type-check reaches auth.ts through tokens.ts but
 * cannot type the Cube driver behind driver.ts.
 */
export function warehouseTenantDirectory(
  databaseUrl: string,
  options: Pick<TenantDirectoryOptions, 'ttlMs' | 'missRefreshMs'> = {},
): TenantDirectory {
  // Bounded like Cube's own connections, so a warehouse that never answers gives a 503, not a hang.
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: 1,
    idleTimeoutMillis: 10_000,
    connectionTimeoutMillis: connectTimeoutMs,
    query_timeout: connectTimeoutMs,
  });
  // An idle client's error (the warehouse restarting) must not crash the process; the next read reports it.
  pool.on('error', () => {});
  return createTenantDirectory({
    ...options,
    read: async () => (await pool.query<{ id: string }>('SELECT id FROM tenants ORDER BY id')).rows.map((row) => row.id),
    close: () => pool.end(),
  });
}
