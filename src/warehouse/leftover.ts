import fs from 'node:fs/promises';
import path from 'node:path';
import { commandLine } from '../runtime/port-owner.js';
import { WarehouseStartError } from './errors.js';

const STOP_WAIT_MS = 15_000;

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

async function parentOf(pid: number): Promise<number | undefined> {
  const status = await fs.readFile(`/proc/${pid}/status`, 'utf8').catch(() => '');
  const ppid = /^PPid:\s+(\d+)$/m.exec(status)?.[1];
  return ppid ? Number(ppid) : undefined;
}

/** A postmaster running on a cluster: its pid, the port it listens on, and the program that started it. */
export interface RunningPostmaster {
  pid: number;
  port: number;
  parent?: number;
  parentCommand?: string;
  /** Started by a live Node process: a running `npm start`, another command or a test run. */
  ownedByNode: boolean;
}

/** The postmaster postmaster.pid of `clusterDir` names, if it is alive and is that cluster's. */
export async function runningPostmaster(clusterDir: string): Promise<RunningPostmaster | undefined> {
  const lines = (await fs.readFile(path.join(clusterDir, 'postmaster.pid'), 'utf8').catch(() => '')).split('\n');
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0 || !alive(pid)) return undefined;
  const command = (await commandLine(pid)) ?? '';
  // A stale file whose pid now belongs to some other program: PostgreSQL itself ignores it.
  if (!command.includes(clusterDir) && !command.startsWith('postgres')) return undefined;
  const parent = await parentOf(pid);
  const parentCommand = parent && parent > 1 ? await commandLine(parent) : undefined;
  return {
    pid,
    // The fourth line is the port (PostgreSQL's postmaster.pid layout).
    port: Number(lines[3]),
    ...(parent ? { parent } : {}),
    ...(parentCommand ? { parentCommand } : {}),
    ownedByNode: !!parentCommand && /(^|\/)node(\s|$)/.test(parentCommand.split(' ')[0] ?? ''),
  };
}

/**
 * A postmaster left running on this cluster by an earlier run that was killed (SIGKILL, or a
 * crash that skipped every exit hook) holds the port and the data directory. If its parent is
 * gone it is an orphan and is stopped (fast shutdown); if a live Node process still owns it,
 * another `npm start` (or test run) uses this DATA_DIR and we say so instead.
 */
export async function stopLeftoverPostmaster(clusterDir: string, log: (line: string) => void): Promise<void> {
  const running = await runningPostmaster(clusterDir);
  if (!running) return;
  const { pid, parent, parentCommand } = running;
  if (running.ownedByNode) {
    throw new WarehouseStartError(
      `The embedded PostgreSQL of this DATA_DIR (${clusterDir}) is already running as pid ${pid}, started by pid ${parent} (${parentCommand!.slice(0, 100)}). ` +
        `Stop that program first (kill ${parent}), or set DATA_DIR and PG_PORT to run a second copy.`,
    );
  }
  log(`Stopping PostgreSQL pid ${pid}, left running on ${clusterDir} by an earlier run.`);
  process.kill(pid, 'SIGINT');
  const deadline = Date.now() + STOP_WAIT_MS;
  while (alive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 100));
  if (alive(pid)) {
    throw new WarehouseStartError(
      `PostgreSQL pid ${pid}, left running on ${clusterDir} by an earlier run, did not stop within ${STOP_WAIT_MS / 1000} s. Stop it (kill ${pid}) and start again.`,
    );
  }
}
