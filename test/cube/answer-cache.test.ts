import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCube } from '../../src/cube/server.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { ACME, GLOBEX, adminToken, expectRefused, load, seedTwoTenants, startFixtureCube, tokenFor, type LogLine } from './support.js';

// Cube logs 'Load Request Success' for every /load it answers itself; one sent again from the
// answer cache never reaches Cube, so it logs nothing.
const answeredByCube = (logs: LogLine[]) => logs.filter((line) => line.message === 'Load Request Success').length;

const count = { measures: ['customers.count'] };

let database: TestDatabase;
let cube: RunningCube;
let logs: LogLine[];
beforeAll(async () => {
  database = await createTestDatabase();
  await seedTwoTenants(database.db);
  ({ cube, logs } = await startFixtureCube(database.url, 0, { answerCacheSeconds: 1 }));
});
afterAll(async () => {
  await cube?.stop();
  await database?.drop();
});

describe('the answer cache (CUBE_ANSWER_CACHE_SECONDS)', () => {
  it('sends an answer again to the same tenant for the same query, and to nobody else', async () => {
    const before = answeredByCube(logs);
    const first = await load(cube, tokenFor(ACME), count);
    const again = await load(cube, tokenFor(ACME), count);
    expect(first.body.data).toEqual([{ 'customers.count': 3 }]);
    expect(again.body).toEqual(first.body);
    expect(answeredByCube(logs) - before).toBe(1);

    // Another tenant, and an admin, asking the same query get their own answers from Cube.
    expect((await load(cube, tokenFor(GLOBEX), count)).body.data).toEqual([{ 'customers.count': 2 }]);
    expect((await load(cube, adminToken(), count)).body.data).toEqual([{ 'customers.count': 5 }]);
    expect(answeredByCube(logs) - before).toBe(3);
  });

  it('asks Cube again once the answer is older than the setting, and whenever a query asks for fresh data', async () => {
    const query = { measures: ['customers.count'], dimensions: ['customers.plan'], order: { 'customers.plan': 'asc' } };
    await load(cube, tokenFor(ACME), query);
    const before = answeredByCube(logs);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    await load(cube, tokenFor(ACME), query);
    expect(answeredByCube(logs) - before).toBe(1);

    await load(cube, tokenFor(ACME), { ...query, renewQuery: true });
    await load(cube, tokenFor(ACME), { ...query, renewQuery: true });
    expect(answeredByCube(logs) - before).toBe(3);
  });

  it('keeps no error: a refused query is refused again, by Cube', async () => {
    const bad = { measures: ['customers.nothing_here'] };
    const refusals = () => logs.filter((line) => line.message.includes('customers.nothing_here')).length;
    await expectRefused(load(cube, tokenFor(ACME), bad), /customers\.nothing_here/);
    await expectRefused(load(cube, tokenFor(ACME), bad), /customers\.nothing_here/);
    expect(refusals()).toBe(2);
  });
});

describe('without the setting', () => {
  it('passes every request to Cube', async () => {
    const plain = await startFixtureCube(database.url);
    try {
      await load(plain.cube, tokenFor(ACME), count);
      await load(plain.cube, tokenFor(ACME), count);
      expect(answeredByCube(plain.logs)).toBe(2);
    } finally {
      await plain.cube.stop();
    }
  });
});
