import type { Knex } from 'knex';
import type { Config } from '../config.js';
import { stopOnShutdown } from '../runtime/shutdown.js';
import { connect } from './connection.js';
import { runningEmbeddedWarehouse, startEmbeddedWarehouse } from './embedded.js';
import { migrateLatest } from './migrate.js';
import { checkDatabaseUrl } from './url-check.js';

export const DATABASE_NAME = 'engagement';

export interface Warehouse {
  url: string;
  /**
   * "embedded" when this process started PostgreSQL itself, "running" when it uses the embedded
   * PostgreSQL another program (a running `npm start`) runs on this DATA_DIR.
   */
  kind: 'embedded' | 'running' | 'external';
  stop(): Promise<void>;
}

export interface OpenOptions {
  /**
   * Use the embedded PostgreSQL of DATA_DIR when a running `npm start` (or another command) has
   * it up, instead of failing on its port; stopping is then left to that program.
   */
  joinRunning?: boolean;
  onLog?: (line: string) => void;
}

/**
 * Uses DATABASE_URL when set (after checking it answers), otherwise the embedded PostgreSQL: the
 * one already running on DATA_DIR when `joinRunning` allows, else one this process starts.
 */
export async function openWarehouse(config: Config, { joinRunning = false, onLog }: OpenOptions = {}): Promise<Warehouse> {
  if (config.DATABASE_URL) {
    await checkDatabaseUrl(config.DATABASE_URL);
    return { url: config.DATABASE_URL, kind: 'external', stop: async () => {} };
  }
  const running = joinRunning ? await runningEmbeddedWarehouse({ dataDir: config.dataDir, database: DATABASE_NAME }) : undefined;
  if (running) return { url: running, kind: 'running', stop: async () => {} };
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
export async function openMigratedWarehouse(config: Config, options: OpenOptions = {}): Promise<WarehouseSession & { migrated: string[] }> {
  const warehouse = await openWarehouse(config, options);
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
