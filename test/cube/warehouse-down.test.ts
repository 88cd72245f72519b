import fs from 'node:fs/promises';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCube } from '../../src/cube/server.js';
import { startEmbeddedWarehouse, type EmbeddedWarehouse } from '../../src/warehouse/embedded.js';
import { ACME, load, seedTwoTenants, startFixtureCube, tokenFor } from './support.js';
import { migrateDatabase } from '../support/database.js';
import { connectTimeoutMs } from '../../src/cube/driver.js';

// The shared test PostgreSQL serves other test files, so this one stops a server of its own.
const dataDir = path.resolve(`${process.env.TEST_DATA_DIR ?? '.data/test'}-warehouse-down`);
const DATABASE = 'cube_warehouse_down';
const BOUND_MS = 15_000;

function isFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

async function freePort(from: number, to: number): Promise<number> {
  for (let port = from; port <= to; port++) if (await isFree(port)) return port;
  throw new Error(`No free port in ${from}-${to}`);
}

let port: number;
let warehouse: EmbeddedWarehouse | undefined;
let cube: RunningCube;

const start = () => startEmbeddedWarehouse({ dataDir, port, database: DATABASE });
// Cube serves a query it answered in the last few seconds from its cache, database or not, so
// each step asks something new.
const query = (plans: string[]) => ({
  measures: ['customers.count'],
  dimensions: ['customers.plan'],
  filters: [{ member: 'customers.plan', operator: 'equals', values: plans }],
  order: { 'customers.plan': 'asc' },
});
const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
  const started = Date.now();
  const result = await run();
  return [result, Date.now() - started];
};

beforeAll(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
  port = await freePort(55150, 55199);
  warehouse = await start();
  await migrateDatabase(warehouse.url, seedTwoTenants);
  ({ cube } = await startFixtureCube(warehouse.url));
});

afterAll(async () => {
  await cube?.stop();
  await warehouse?.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('when the warehouse goes down', () => {
  it('answers while it is up', async () => {
    const { status, body } = await load(cube, tokenFor(ACME), query(['pro', 'free']));
    expect(status).toBe(200);
    expect(body.data).toHaveLength(2);
  });

  it('fails /v1/load with 503 and a clear message within a bounded time', async () => {
    await warehouse!.stop();
    warehouse = undefined;
    for (const plan of ['pro', 'free']) {
      const [{ status, body }, elapsed] = await timed(() => load(cube, tokenFor(ACME), query([plan]), BOUND_MS));
      expect(status, `${plan}: ${JSON.stringify(body)}`).toBe(503);
      expect(body.error).toMatch(/^The warehouse is unreachable \(.*ECONNREFUSED.*\)\. Try again once it is back\.$/);
      expect(elapsed).toBeLessThan(BOUND_MS);
    }
  });

  it('answers again once it is back, without a restart of Cube', async () => {
    warehouse = await start();
    const { status, body } = await load(cube, tokenFor(ACME), query(['free', 'pro', 'enterprise']));
    expect(status, JSON.stringify(body)).toBe(200);
    expect(body.data!.map((row) => [row['customers.plan'], Number(row['customers.count'])])).toEqual([
      ['free', 1],
      ['pro', 2],
    ]);
  });
});

describe('when the warehouse accepts connections but never answers', () => {
  let silent: net.Server;
  let silentCube: RunningCube | undefined;
  const sockets = new Set<net.Socket>();

  beforeAll(async () => {
    silent = net.createServer((socket) => sockets.add(socket));
    const silentPort = await freePort(55100, 55149);
    await new Promise<void>((resolve) => silent.listen(silentPort, '127.0.0.1', resolve));
    ({ cube: silentCube } = await startFixtureCube(`postgres://postgres:postgres@127.0.0.1:${silentPort}/${DATABASE}`));
  });

  afterAll(async () => {
    await silentCube?.stop();
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent?.close(resolve));
  });

  it('fails /v1/load with 503 after the connect timeout instead of waiting forever', async () => {
    const [{ status, body }, elapsed] = await timed(() => load(silentCube!, tokenFor(ACME), query(['pro']), connectTimeoutMs + BOUND_MS));
    expect(status, JSON.stringify(body)).toBe(503);
    expect(body.error).toMatch(/^The warehouse is unreachable \(.*timeout.*\)/);
    expect(elapsed).toBeGreaterThanOrEqual(connectTimeoutMs - 1_000);
    expect(elapsed).toBeLessThan(connectTimeoutMs + BOUND_MS);
  });
});
