import pg from 'pg';
import type { z } from 'zod';
import { dropDeferrableConstraints } from './deferred-constraints.js';
import { loadTables } from './load.js';
import { seedOptionsSchema, type SeedPhase, type SeedProgress } from './options.js';
import { Population } from './population.js';
import { tableSources } from './tables.js';

export type { SeedPhase, SeedProgress } from './options.js';

export interface SeedOptions {
  /** Customers across all tenants. */
  customers: number;
  seed: number;
  /** Exclusive end of the history, e.g. 2026-11-01: every generated time is before it. */
  until: Date;
  /** Length of the history in months (default 24). */
  months?: number;
  /** Empty the data tables and load again even if the warehouse has data. */
  reset?: boolean;
  onProgress?: (progress: SeedProgress) => void;
  onPhase?: (phase: SeedPhase) => void;
}

export interface SeedResult {
  /** Rows loaded per table (all 0 when skipped). */
  tables: Record<string, number>;
  seconds: number;
  /** True when the warehouse already had customers and `reset` was not asked for. */
  skipped: boolean;
}

const TABLES = tableSources.map((source) => source.table);

async function hasCustomers(client: pg.Client): Promise<boolean> {
  const { rows } = await client.query<{ found: boolean }>('SELECT EXISTS (SELECT 1 FROM customers) AS found');
  return rows[0]!.found;
}

/**
 * Loads generated data for the sample tenants: the same rows for the same seed, size, end and
 * length of history. Everything happens in one transaction that locks the data tables, so no
 * one sees a half-loaded warehouse, and a failed or interrupted load leaves it as it was.
 */
export async function seedWarehouse(databaseUrl: string, options: SeedOptions): Promise<SeedResult> {
  const { customers, seed, until, months, reset, onProgress, onPhase } = seedOptionsSchema.parse(
    options satisfies z.input<typeof seedOptionsSchema>,
  );
  const started = performance.now();
  const result = (tables: Record<string, number>, skipped: boolean): SeedResult => ({
    tables,
    skipped,
    seconds: (performance.now() - started) / 1000,
  });
  const skipped = () => result(Object.fromEntries(TABLES.map((table) => [table, 0])), true);

  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    if (!reset && (await hasCustomers(client))) return skipped();
    let loaded: Record<string, number>;
    await client.query('BEGIN');
    try {
      // Look again under the lock: of two seeders started together, only one loads.
      await client.query(`LOCK TABLE ${TABLES.join(', ')} IN ACCESS EXCLUSIVE MODE`);
      if (!reset && (await hasCustomers(client))) {
        await client.query('ROLLBACK');
        return skipped();
      }
      // Sorts for the index builds and hashes for the foreign-key checks after the load stay in
      // memory: with the 64 MB default, the keys of events and web_sessions spilled to disk.
      await client.query(`SET LOCAL maintenance_work_mem = '1GB'; SET LOCAL work_mem = '256MB'`);
      // Truncating in this transaction also lets COPY write frozen rows. CASCADE: predictions
      // (churn_risk_scores, …) reference the customers and go with them.
      await client.query(`TRUNCATE ${TABLES.join(', ')} CASCADE`);
      const restoreConstraints = await dropDeferrableConstraints(client, TABLES);
      loaded = await loadTables(client, new Population(seed, customers, until, months), onProgress);
      onPhase?.('rebuilding indexes and foreign keys');
      await restoreConstraints();
      await client.query('COMMIT');
    } catch (error) {
      // The original error matters more than a failed rollback on a broken connection.
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    }
    onPhase?.('analyzing tables');
    await client.query(`ANALYZE ${TABLES.join(', ')}`);
    return result(loaded, false);
  } finally {
    await client.end();
  }
}
