import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTenantDirectory } from '../../src/cube/tenants.js';
import { warehouseTenantDirectory } from '../../src/cube/warehouse-tenants.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';

/** A directory over a list the test changes, on a clock the test moves. */
function fixture(ids: string[]) {
  const state = { ids, now: 0, reads: 0, fail: false };
  const directory = createTenantDirectory({
    read: async () => {
      state.reads++;
      if (state.fail) throw new Error('connection refused');
      return [...state.ids];
    },
    ttlMs: 60_000,
    missRefreshMs: 1_000,
    now: () => state.now,
  });
  return { state, directory };
}

describe('createTenantDirectory', () => {
  it('answers hits from one read until the cache is a minute old', async () => {
    const { state, directory } = fixture(['acme', 'lumen']);
    expect(await directory.has('acme')).toBe(true);
    state.now = 59_000;
    expect(await directory.has('lumen')).toBe(true);
    expect(state.reads).toBe(1);
    state.now = 61_000;
    expect(await directory.has('acme')).toBe(true);
    expect(state.reads).toBe(2);
  });

  it('reads again on a miss, at most once a second', async () => {
    const { state, directory } = fixture(['acme']);
    expect(await directory.has('initech')).toBe(false);
    state.ids.push('initech');
    state.now = 500;
    expect(await directory.has('initech')).toBe(false);
    expect(state.reads).toBe(1);
    state.now = 1_500;
    expect(await directory.has('initech')).toBe(true);
    expect(state.reads).toBe(2);
    // A flood of unknown tenants costs one read per second, not one per request.
    state.now = 1_600;
    await Promise.all(Array.from({ length: 50 }, (_, i) => directory.has(`nosuch${i}`)));
    expect(state.reads).toBe(2);
  });

  it('shares one read between concurrent requests', async () => {
    const { state, directory } = fixture(['acme']);
    await Promise.all([directory.has('acme'), directory.has('acme'), directory.list()]);
    expect(state.reads).toBe(1);
  });

  it('keeps answering from stale ids while the warehouse is away, and says so when it never answered', async () => {
    const { state, directory } = fixture(['acme']);
    expect(await directory.has('acme')).toBe(true);
    state.fail = true;
    state.now = 120_000;
    expect(await directory.has('acme')).toBe(true);
    expect(await directory.list()).toEqual(['acme']);

    const down = fixture([]);
    down.state.fail = true;
    await expect(down.directory.has('acme')).rejects.toThrow('Cannot read the tenants table: connection refused');
  });

  it('matches ids exactly: no case folding, no trimming', async () => {
    const { directory } = fixture(['acme']);
    for (const id of ['ACME', 'acme ', ' ', '']) expect(await directory.has(id), JSON.stringify(id)).toBe(false);
  });
});

describe('warehouseTenantDirectory', () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase();
    await database.db('tenants').insert([
      { id: 'lumen', name: 'Lumen', business_model: 'b2c' },
      { id: 'acme', name: 'Acme', business_model: 'b2b' },
    ]);
  });
  afterAll(() => database?.drop());

  it("reads the warehouse's tenants table", async () => {
    const directory = warehouseTenantDirectory(database.url);
    try {
      expect(await directory.list()).toEqual(['acme', 'lumen']);
      expect(await directory.has('lumen')).toBe(true);
    } finally {
      await directory.close();
    }
  });
});
