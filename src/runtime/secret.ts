import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';

/**
 * A random secret kept in `dir/name` (mode 600): generated on first use, read back after, so
 * what it protects keeps working across restarts.
 */
export async function readOrCreateSecret(dir: string, name: string): Promise<string> {
  const file = path.join(dir, name);
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const secret = randomBytes(32).toString('hex');
    await fs.mkdir(dir, { recursive: true });
    await fs.writeFile(file, `${secret}\n`, { mode: 0o600 });
    return secret;
  }
}

/**
 * The secret Cube signs and checks tokens with: CUBE_API_SECRET when set, else one generated
 * on first start and kept in the data directory, so tokens stay valid across restarts.
 */
export async function resolveApiSecret(config: Config): Promise<string> {
  return config.CUBE_API_SECRET ?? readOrCreateSecret(config.dataDir, 'cube-api-secret');
}
