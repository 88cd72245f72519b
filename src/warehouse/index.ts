import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { stopOnShutdown } from '../runtime/shutdown.js';
import { connect } from './connection.js';
import { startEmbeddedWarehouse } from './embedded.js';
import { migrateLatest } from './migrate.js';
import { checkDatabaseUrl } from './url-check.js';

export const DATABASE_NAME = 'engagement';

export interface Warehouse {
  url: string;
  /** "embedded" when this process started PostgreSQL itself. */
  kind: 'embedded' | 'external';
  stop(): Promise<void>;
}

/** Uses DATABASE_URL when set (after checking it answers), otherwise starts the embedded PostgreSQL. */
export async function openWarehouse(config: Config, onLog?: (line: string) => void): Promise<Warehouse> {
  if (config.DATABASE_URL) {
    await checkDatabaseUrl(config.DATABASE_URL);
    return { url: config.DATABASE_URL, kind: 'external', stop: async () => {} };
  }
  const embedded = await startEmbeddedWarehouse({
    dataDir: config.dataDir,
    port: config.PG_PORT,
    database: DATABASE_NAME,
    ...(onLog ? { onLog } : {}),
  });
  return { url: embedded.url, kind: 'embedded', stop: embedded.stop };
}

export interface WarehouseSession {
  warehouse: Warehouse;
  db: Knex;
  close(): Promise<void>;
}

/** Opens the warehouse, connects and applies pending migrations. */
export async function openMigratedWarehouse(config: Config): Promise<WarehouseSession & { migrated: string[] }> {
  const warehouse = await openWarehouse(config);
  const db = connect(warehouse.url);
  // On a signal the pool goes first, then the warehouse (registered before it).
  const close = stopOnShutdown(async () => {
    await db.destroy();
    await warehouse.stop();
  });
  try {
    const migrated = await migrateLatest(db);
    return { warehouse, db, migrated, close };
  } catch (error) {
    await close();
    throw error;
  }
}
