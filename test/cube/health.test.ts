import fs from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCube } from '../../src/cube/server.js';
import { startEmbeddedWarehouse, type EmbeddedWarehouse } from '../../src/warehouse/embedded.js';
import { migrateDatabase } from '../support/database.js';
import { freePort } from '../support/ports.js';
import { startFixtureCube } from './support.js';

// A warehouse of its own, since this file stops it.
const dataDir = path.resolve(`${process.env.TEST_DATA_DIR ?? '.data/test'}-health`);
let port: number;
let warehouse: EmbeddedWarehouse | undefined;
let cube: RunningCube;

const start = () => startEmbeddedWarehouse({ dataDir, port, database: 'cube_health' });
const probe = async (name: '/readyz' | '/livez') => {
  const response = await fetch(`${cube.url}${name}`, { signal: AbortSignal.timeout(10_000) });
  return { status: response.status, body: (await response.json()) as { health: string; error?: string } };
};

beforeAll(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
  port = await freePort();
  warehouse = await start();
  // Cube makes its warehouse roles at start, which needs the migrated tables.
  await migrateDatabase(warehouse.url);
  ({ cube } = await startFixtureCube(warehouse.url));
});

afterAll(async () => {
  await cube?.stop();
  await warehouse?.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('health probes', () => {
  it('/readyz and /livez answer 200 while the warehouse is up', async () => {
    expect(await probe('/readyz')).toEqual({ status: 200, body: { health: 'HEALTH' } });
    expect(await probe('/livez')).toEqual({ status: 200, body: { health: 'HEALTH' } });
  });

  it('/readyz answers 503 saying why while the warehouse is down; /livez stays 200', async () => {
    await warehouse!.stop();
    warehouse = undefined;
    const readyz = await probe('/readyz');
    expect(readyz.status).toBe(503);
    expect(readyz.body.health).toBe('DOWN');
    expect(readyz.body.error).toMatch(/^The warehouse is unreachable \(.*ECONNREFUSED.*\)\.$/);
    expect(await probe('/livez')).toEqual({ status: 200, body: { health: 'HEALTH' } });
  });

  it('/readyz answers 200 again once the warehouse is back', async () => {
    warehouse = await start();
    expect(await probe('/readyz')).toEqual({ status: 200, body: { health: 'HEALTH' } });
  });
});
