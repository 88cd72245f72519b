import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readModel } from '@engagement/contract/node';
import { CubeClient } from '../../src/cube/client.js';
import { generateWarehouseDoc, warehouseDocPath } from '../../src/docs/generate.js';
import { kpiReads } from '../../src/docs/kpi-reads.js';
import { readableCheck } from '../../src/docs/warehouse-doc.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { startTestCube, type TestCube } from '../support/cube.js';

let t: TestDatabase;
let cube: TestCube;
let admin: CubeClient;
beforeAll(async () => {
  t = await createTestDatabase();
  cube = await startTestCube(t.url, { preAggregations: false });
  admin = new CubeClient(cube.cube.apiUrl, cube.token({ admin: true }));
});
afterAll(async () => {
  await cube?.stop();
  await t?.drop();
});

describe('docs/warehouse.md', () => {
  it('is what the migrations and the model give: run `npm run docs:warehouse` after changing either', async () => {
    const doc = await generateWarehouseDoc(t.db, admin);
    expect(fs.readFileSync(warehouseDocPath, 'utf8'), 'docs/warehouse.md is stale: run `npm run docs:warehouse`').toBe(doc);
  });

  it('finds the tables and columns a KPI reads from the SQL Cube writes for it', async () => {
    const reads = async (name: string) => {
      const kpi = readModel().kpis.find((k) => k.name === name)!;
      const found = await kpiReads(t.db, admin, kpi);
      return Object.fromEntries([...found].map(([table, columns]) => [table, [...columns].filter((c) => c !== 'tenant_id').sort()]));
    };
    // Churn needs subscriptions' spans, and the time column of every table for the tenant's
    // observation end (its latest event of any kind, unless tenants.data_through says).
    expect(await reads('customer_lifecycle.churn_rate')).toEqual({
      subscriptions: ['customer_id', 'ended_at', 'started_at'],
      tenants: ['data_through', 'id'],
      customers: ['signup_at'],
      orders: ['ordered_at'],
      web_sessions: ['started_at'],
      survey_responses: ['responded_at'],
      support_tickets: ['opened_at'],
      campaign_stats: ['day'],
      social_posts: ['posted_at'],
      social_account_days: ['day'],
      reviews: ['reviewed_at'],
      events: ['occurred_at'],
    });
    expect(await reads('survey_responses.nps')).toEqual({ survey_responses: ['id', 'kind', 'responded_at', 'score'] });
    expect(await reads('campaign_stats.email_ctr')).toEqual({ campaign_stats: ['channel', 'clicks', 'day', 'impressions'] });
  });
});

describe('npm run docs:warehouse', () => {
  const run = (args: string[]) =>
    promisify(execFile)(path.resolve('node_modules/.bin/tsx'), [path.resolve('src/docs/main.ts'), ...args], {
      env: { ...process.env, DATABASE_URL: t.url },
      timeout: 120_000,
    });

  it('says what it does with --help', async () => {
    const { stdout } = await run(['--help']);
    expect(stdout).toMatch(/^Usage: docs:warehouse \[options\]/);
    expect(stdout).toContain('--check');
  });

  it('--check passes on the committed file, writing nothing', async () => {
    const before = fs.statSync(warehouseDocPath).mtimeMs;
    await expect(run(['--check'])).resolves.toBeTruthy();
    expect(fs.statSync(warehouseDocPath).mtimeMs).toBe(before);
  });
});

describe('a check constraint', () => {
  it.each([
    ["CHECK ((device = ANY (ARRAY['desktop'::text, 'mobile'::text, 'tablet'::text])))", 'one of `desktop`, `mobile`, `tablet`'],
    ['CHECK ((mrr >= (0)::numeric))', '`mrr >= 0`'],
    ["CHECK ((id <> ''::text))", 'not empty'],
    ['CHECK (((tier >= 1) AND (tier <= 3)))', '`(tier >= 1) AND (tier <= 3)`'],
  ])('%s reads as %s', (definition, readable) => {
    expect(readableCheck(definition)).toBe(readable);
  });
});
