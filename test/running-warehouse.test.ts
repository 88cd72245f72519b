import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../src/config.js';
import { connect } from '../src/warehouse/connection.js';
import { startEmbeddedWarehouse, type EmbeddedWarehouse } from '../src/warehouse/embedded.js';
import { DATABASE_NAME, openWarehouse } from '../src/warehouse/index.js';
import { migrateDatabase } from './support/database.js';
import { freePort } from './support/ports.js';

// What a running `npm start` leaves for other commands: its embedded PostgreSQL on DATA_DIR. This
// test process plays `npm start` (a Node program running the cluster), and the commands get a
// PG_PORT of their own, so only the cluster's postmaster.pid can lead them to the warehouse.
const run = promisify(execFile);
const cli = path.resolve('src/cli/main.ts');
const tsx = path.resolve('node_modules/.bin/tsx');
const dataDir = path.resolve(`${process.env.TEST_DATA_DIR ?? '.data/test'}-running`);

let warehouse: EmbeddedWarehouse;
let env: Record<string, string>;

async function engagement(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(tsx, [cli, ...args], { env: { ...process.env, ...env }, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(async () => {
  await fs.rm(dataDir, { recursive: true, force: true });
  warehouse = await startEmbeddedWarehouse({ dataDir, port: await freePort(), database: DATABASE_NAME });
  await migrateDatabase(warehouse.url, async (db) => {
    // shop has customers and no campaigns: a tenant all the same.
    await db('tenants').insert([
      { id: 'acme', name: 'Acme', business_model: 'b2b' },
      { id: 'shop', name: 'Shop', business_model: 'b2c' },
    ]);
    await db('customers').insert({ id: 'C-1', tenant_id: 'shop', signup_at: '2025-01-05T00:00:00Z' });
    await db('subscriptions').insert({ id: 'S-1', tenant_id: 'shop', customer_id: 'C-1', started_at: '2025-01-05T00:00:00Z' });
    await db('campaign_stats').insert({
      id: '1',
      tenant_id: 'acme',
      campaign: 'c',
      channel: 'email',
      day: '2025-03-01',
      impressions: 10,
      clicks: 1,
      conversions: 0,
    });
  });
  env = {
    DATABASE_URL: '',
    DATA_DIR: dataDir,
    PG_PORT: String(await freePort()),
    CUBE_PORT: String(await freePort()),
    CUBE_API_SECRET: 'a-secret-for-the-running-warehouse-test',
  };
});
afterAll(async () => {
  await warehouse?.stop();
  await fs.rm(dataDir, { recursive: true, force: true });
});

describe('a command while `npm start` runs the embedded warehouse of DATA_DIR', () => {
  it('joins it on the port its postmaster.pid records, and leaves it running', async () => {
    const joined = await openWarehouse(loadConfig({ ...process.env, ...env }), { joinRunning: true });
    expect(joined.kind).toBe('running');
    expect(new URL(joined.url).port).toBe(new URL(warehouse.url).port);
    await joined.stop();
    const db = connect(warehouse.url);
    try {
      expect((await db.raw('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    } finally {
      await db.destroy();
    }
  });

  it('still refuses to start a second copy when not asked to join', async () => {
    await expect(openWarehouse(loadConfig({ ...process.env, ...env }))).rejects.toThrow(
      `The embedded PostgreSQL of this DATA_DIR (${dataDir}/pg) is already running as pid`,
    );
  });

  it('token: mints a token for a tenant of that warehouse', async () => {
    const { code, stdout, stderr } = await engagement(['token', '--tenant', 'shop', '--expires', '1h']);
    expect(code, stderr).toBe(0);
    expect(JSON.parse(Buffer.from(stdout.trim().split('.')[1]!, 'base64url').toString()).tenant).toBe('shop');
  });

  it('report: knows every tenant of the warehouse, not only those with campaign data', async () => {
    const { code, stdout, stderr } = await engagement(['report', '--tenant', 'shop', '--month', '2025-03', '--json']);
    expect(code, stderr).toBe(0);
    // Cube 0.35.81 prints a warning on stdout when it starts (not ours to silence): the report follows it.
    expect(JSON.parse(stdout.slice(stdout.search(/^\{/m)))).toMatchObject({ tenant: 'shop', month: '2025-03' });
    const unknown = await engagement(['report', '--tenant', 'nobody', '--month', '2025-03']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('Unknown tenant "nobody". Known tenants: acme, shop.');
  });

  it('metrics: publishes the views into that warehouse', async () => {
    const { code, stderr } = await engagement(['metrics']);
    expect(code, stderr).toBe(0);
    const db = connect(warehouse.url);
    try {
      const { rows } = await db.raw(`SELECT count(*)::int AS views FROM pg_views WHERE schemaname = 'metrics'`);
      expect(rows[0].views).toBeGreaterThan(0);
    } finally {
      await db.destroy();
    }
  });
});
