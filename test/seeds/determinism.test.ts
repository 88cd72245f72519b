import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedWarehouse } from '../../seeds/index.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { rowCounts, schemaObjects, seededTables, tableHashes, UNTIL } from './helpers.js';

const size = { customers: 1500, until: UNTIL };
let first: TestDatabase;
let second: TestDatabase;
let schemaBefore: string[];
let firstHashes: Record<string, string>;

beforeAll(async () => {
  [first, second] = await Promise.all([createTestDatabase(), createTestDatabase()]);
  schemaBefore = await schemaObjects(first.db);
  await seedWarehouse(first.url, { ...size, seed: 7 });
  firstHashes = await tableHashes(first.db);
});
afterAll(async () => {
  await first?.drop();
  await second?.drop();
});

describe('seedWarehouse', () => {
  it('loads every table', async () => {
    const counts = await rowCounts(first.db);
    expect(Object.keys(counts)).toEqual(seededTables);
    for (const table of seededTables) expect(counts[table], table).toBeGreaterThan(0);
    expect(counts.customers).toBe(1500);
    expect(counts.subscriptions).toBe(1500);
    expect(counts.tenants).toBe(3);
  });

  it('leaves every constraint and index as the migrations made them, foreign keys validated', async () => {
    expect(await schemaObjects(first.db)).toEqual(schemaBefore);
    // 16 of the seeded tables, 2 of events and 3 of the churn-risk tables (to tenants and customers), which the seeder empties by cascade.
    expect(schemaBefore.filter((o) => o.includes('FOREIGN KEY') && o.endsWith('validated=true'))).toHaveLength(21);
  });

  it('gives the rows it gave before the load was made faster, byte for byte', async () => {
    // Pinned from main at 922db02, before the COPY writer encoded rows into buffers: how the rows
    // travel must never change what they are. A deliberate change to the generated data updates these.
    expect(firstHashes).toEqual({
      tenants: 'ebc01ecc1323ac1afc6f091747e54f60',
      customers: '8a64160c2f027f5036215491e730ea61',
      subscriptions: 'c6cad88ba6dd32fd786dd8ac6748c3d6',
      orders: 'b34f3ad73b108dad8ceff0087af4f12d',
      web_sessions: '99aa553c1bf3573a94850f1766ddd4ed',
      events: 'b6f3478c1301b9199ba340cc7c03babb',
      survey_responses: 'c928c122dd55db9fa7171bc9894ad836',
      support_tickets: '745923cbb8ff95b2b25b4e1b2e76227a',
      campaign_stats: '0db480928953dc03c4e45e58fce986e4',
      social_posts: '60890c3823135aed3b8c2ca9d72b1f33',
      social_account_days: '4467d0869fe069e8f92e69c329ad38e8',
      reviews: 'bfe50cc7debed52022298d0a2a44743c',
    });
  });

  it('gives the same rows for the same seed, size and end, in another database', async () => {
    const result = await seedWarehouse(second.url, { ...size, seed: 7 });
    expect(result.skipped).toBe(false);
    expect(await tableHashes(second.db)).toEqual(firstHashes);
    expect(result.tables).toEqual(await rowCounts(first.db));
  });

  it('loads nothing when the warehouse has customers and reset is not asked for', async () => {
    const result = await seedWarehouse(first.url, { ...size, seed: 99 });
    expect(result.skipped).toBe(true);
    expect(Object.values(result.tables).every((rows) => rows === 0)).toBe(true);
    expect(await tableHashes(first.db)).toEqual(firstHashes);
  });

  it('gives different rows for a different seed, and the same rows again after a reset', async () => {
    const other = await seedWarehouse(second.url, { ...size, seed: 8, reset: true });
    expect(other.skipped).toBe(false);
    const otherHashes = await tableHashes(second.db);
    for (const table of seededTables.filter((t) => t !== 'tenants')) expect(otherHashes[table], table).not.toBe(firstHashes[table]);

    await seedWarehouse(second.url, { ...size, seed: 7, reset: true });
    expect(await tableHashes(second.db)).toEqual(firstHashes);
  });

  it('reports progress every ten thousand rows or so, up to the rows loaded', async () => {
    const calls: { table: string; rows: number; totalRows: number; estimatedTotal: number }[] = [];
    const result = await seedWarehouse(second.url, { ...size, seed: 7, reset: true, onProgress: (p) => calls.push(p) });
    const total = Object.values(result.tables).reduce((a, b) => a + b, 0);
    expect(calls.length).toBeGreaterThan(total / 20_000);
    expect(calls.length).toBeLessThan(total / 10_000 + seededTables.length + 1);
    const totals = calls.map((c) => c.totalRows);
    expect(totals).toEqual([...totals].sort((a, b) => a - b));
    expect(calls.at(-1)).toMatchObject({ table: seededTables.at(-1), totalRows: total });
    for (const table of seededTables) expect(calls.filter((c) => c.table === table).at(-1)?.rows, table).toBe(result.tables[table]);
    expect(Math.abs(calls[0]!.estimatedTotal - total) / total).toBeLessThan(0.1);
    expect(calls.at(-1)!.estimatedTotal).toBe(total);
  });

  it('names the slow steps after the rows are in, after the last row', async () => {
    const events: string[] = [];
    await seedWarehouse(second.url, {
      ...size,
      seed: 7,
      reset: true,
      onProgress: () => {
        if (events.at(-1) !== 'rows') events.push('rows');
      },
      onPhase: (phase) => events.push(phase),
    });
    expect(events).toEqual(['rows', 'rebuilding indexes and foreign keys', 'analyzing tables']);
  });
});
