import fs from 'node:fs/promises';
import path from 'node:path';
import { WarehouseStartError } from './errors.js';

// statfs magic numbers of filesystems that hold no files: Node's recursive mkdir on /proc
// never returns, so DATA_DIR there would hang.
const PSEUDO_FILESYSTEMS = new Map([
  [0x9fa0, 'proc'],
  [0x62656572, 'sysfs'],
]);

async function nearestExisting(dir: string): Promise<string> {
  for (let current = dir; ; current = path.dirname(current)) {
    if (
      await fs.stat(current).then(
        () => true,
        () => false,
      )
    )
      return current;
    if (path.dirname(current) === current) return current;
  }
}

/** Fails fast when DATA_DIR is on a pseudo filesystem such as /proc. */
export async function assertRealFilesystem(dataDir: string): Promise<void> {
  const existing = await nearestExisting(dataDir);
  const { type } = await fs.statfs(existing);
  const name = PSEUDO_FILESYSTEMS.get(type);
  if (name) {
    throw new WarehouseStartError(
      `DATA_DIR ${dataDir} is on the ${name} filesystem (${existing}), which cannot hold files. ` +
        'Set DATA_DIR to a directory on a disk, e.g. DATA_DIR=.data (the default).',
    );
  }
}

export interface RunAs {
  user: string;
  uid: number;
  gid: number;
}

function canEnter(stat: { uid: number; gid: number; mode: number }, who: RunAs): boolean {
  if (stat.uid === who.uid) return (stat.mode & 0o100) !== 0;
  if (stat.gid === who.gid) return (stat.mode & 0o010) !== 0;
  return (stat.mode & 0o001) !== 0;
}

/** The first directory on the way to `target` that `who` may not enter, if any. */
async function firstBlocked(target: string, who: RunAs): Promise<{ dir: string; mode: number; owner: number } | undefined> {
  const parts = path.resolve(target).split(path.sep).filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const dir = path.sep + parts.slice(0, i).join(path.sep);
    const stat = await fs.stat(dir).catch(() => undefined);
    // Not created yet (we create it, with the umask's bits) or not a directory (reported when it is created).
    if (!stat?.isDirectory()) return undefined;
    if (!canEnter(stat, who)) return { dir, mode: stat.mode & 0o777, owner: stat.uid };
  }
  return undefined;
}

/**
 * As root, PostgreSQL runs as another user, which must be able to enter every directory on
 * the way to its binaries (in node_modules) and to DATA_DIR. A clone under root's home (mode
 * 700) otherwise fails with a bare `spawn …/initdb EACCES` or hides initdb's own message.
 */
export async function assertReachableBy(who: RunAs, places: { binaries: string; dataDir: string }): Promise<void> {
  const binaries = await firstBlocked(places.binaries, who);
  const dataDir = await firstBlocked(places.dataDir, who);
  if (!binaries && !dataDir) return;
  const describe = (b: { dir: string; mode: number }) => `${b.dir} (mode ${b.mode.toString(8)})`;
  const lines = [`This program runs as root, so the embedded PostgreSQL runs as user ${who.user}, and ${who.user} cannot enter:`];
  if (binaries) lines.push(`  ${describe(binaries)}, on the way to the PostgreSQL binaries in ${places.binaries}`);
  if (dataDir && dataDir.dir !== binaries?.dir) lines.push(`  ${describe(dataDir)}, on the way to DATA_DIR ${places.dataDir}`);
  const blocked = [...new Set([binaries?.dir, dataDir?.dir].filter(Boolean))];
  lines.push(`Fix: chmod o+x ${blocked.join(' ')}`);
  lines.push(
    binaries
      ? '  or move the project to a directory everyone can enter (e.g. /srv or /opt), or set DATABASE_URL to use a PostgreSQL of your own.'
      : '  or set DATA_DIR to a directory outside it (e.g. DATA_DIR=/var/tmp/engagement).',
  );
  throw new WarehouseStartError(lines.join('\n'));
}
