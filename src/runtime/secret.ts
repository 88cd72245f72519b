import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Config } from '../config.js';

/**
 * The secret Cube signs and checks tokens with: CUBE_API_SECRET when set, else one generated
 * on first start and kept in the data directory, so tokens stay valid across restarts.
 */
export async function resolveApiSecret(config: Config): Promise<string> {
  if (config.CUBE_API_SECRET) return config.CUBE_API_SECRET;
  const file = path.join(config.dataDir, 'cube-api-secret');
  try {
    return (await fs.readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    const secret = randomBytes(32).toString('hex');
    await fs.mkdir(config.dataDir, { recursive: true });
    await fs.writeFile(file, `${secret}\n`, { mode: 0o600 });
    return secret;
  }
}
