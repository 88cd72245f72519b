import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCube } from '../../src/cube/server.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { ACME, call, load, seedTwoTenants, startFixtureCube, tokenFor } from './support.js';

let database: TestDatabase;
let cube: RunningCube;
let token: string;

beforeAll(async () => {
  database = await createTestDatabase();
  await seedTwoTenants(database.db);
  ({ cube } = await startFixtureCube(database.url));
  token = tokenFor(ACME);
});

afterAll(async () => {
  await cube?.stop();
  await database?.drop();
});

async function expectRefused(response: Promise<{ status: number; body: { error?: string } }>, message: RegExp): Promise<void> {
  const { status, body } = await response;
  expect(status, JSON.stringify(body)).toBe(400);
  expect(body.error).toMatch(message);
  expect(body).not.toHaveProperty('stack');
}

const signups = (timeDimension: object) => ({ measures: ['customers.count'], timeDimensions: [{ dimension: 'customers.signup_at', ...timeDimension }] });

describe('bad queries come back as 400 with a readable message', () => {
  it('unknown member or cube', async () => {
    await expectRefused(load(cube, token, { measures: ['customers.lifetime_value'] }), /'lifetime_value' not found for path 'customers.lifetime_value'/);
    await expectRefused(load(cube, token, { dimensions: ['invoices.id'] }), /Cube 'invoices' not found for path 'invoices.id'/);
  });

  it('malformed JSON in the query parameter or the body', async () => {
    await expectRefused(call(cube, `/load?query=${encodeURIComponent('{"measures": [')}`, { authorization: token }), /Unable to decode query param as JSON/);
    await expectRefused(call(cube, '/load', { authorization: token, method: 'POST', body: '{"query": {"measures": [' }), /^Malformed JSON in the request body: /);
  });

  it('no query, or a query that is not one', async () => {
    await expectRefused(call(cube, '/load', { authorization: token }), /Query param is required/);
    await expectRefused(load(cube, token, { measures: 'customers.count' }), /Invalid query format: "measures" must be an array/);
    await expectRefused(load(cube, token, { measures: ['customers.count'], timeDimensions: 'customers.signup_at' }), /"timeDimensions" must be an array/);
    await expectRefused(call(cube, '/load?query=null', { authorization: token }), /Invalid query format: expected a JSON object, got null/);
    await expectRefused(load(cube, token, { filters: [] }), /Query should contain either measures, dimensions or timeDimensions/);
  });

  it('bad date ranges', async () => {
    await expectRefused(load(cube, token, signups({ dateRange: ['2026-13-45', '2026-02-30'] })), /^Invalid dateRange \["2026-13-45","2026-02-30"\] for "customers.signup_at": expected/);
    await expectRefused(load(cube, token, signups({ dateRange: ['2026-01-01', 'tomorrow-ish'] })), /^Invalid dateRange/);
    await expectRefused(load(cube, token, signups({ dateRange: [] })), /^Invalid dateRange \[\]/);
    await expectRefused(load(cube, token, signups({ dateRange: 'next blursday' })), /Can't parse date: 'next blursday'/);
  });

  it('unknown granularity', async () => {
    await expectRefused(load(cube, token, signups({ granularity: 'fortnight' })), /"timeDimensions\[0\].granularity" must be one of \[.*month.*\]/);
  });

  it('a limit above the maximum', async () => {
    await expectRefused(load(cube, token, { measures: ['customers.count'], limit: 1_000_000 }), /query limit has been exceeded/);
  });

  it('an unsupported filter operator', async () => {
    await expectRefused(
      load(cube, token, { measures: ['customers.count'], filters: [{ member: 'customers.plan', operator: 'resembles', values: ['pro'] }] }),
      /Invalid query format: "filters\[0\]" does not match any of the allowed types/,
    );
  });

  it('still answers good queries afterwards', async () => {
    const { status, body } = await load(cube, token, signups({ dateRange: ['2026-02-01', '2026-02-28T23:59:59'] }));
    expect(status).toBe(200);
    expect(Number(body.data![0]!['customers.count'])).toBe(2);
  });
});
