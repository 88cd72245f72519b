import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningCube } from '../../src/cube/server.js';
import { nativeStatus } from '../../src/cube/native-fallback.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { ACME, call, rows, seedTwoTenants, startFixtureCube, tokenFor, type LogLine } from './support.js';

let database: TestDatabase;
let cube: RunningCube;
let logs: LogLine[];

beforeAll(async () => {
  database = await createTestDatabase();
  await seedTwoTenants(database.db);
  ({ cube, logs } = await startFixtureCube(database.url));
});

afterAll(async () => {
  await cube?.stop();
  await database?.drop();
});

describe('Cube server start-up', () => {
  it('serves on the port it reports, with the API under /cubejs-api/v1', async () => {
    expect(cube.url).toBe(`http://127.0.0.1:${cube.port}`);
    expect(cube.apiUrl).toBe(`${cube.url}/cubejs-api/v1`);
    const ready = await fetch(`${cube.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({ health: 'HEALTH' });
  });

  it('reports the SQL API off, and why, in exactly one log line', () => {
    // The fixture sets no SQL port, so the SQL API is off even where native loads.
    expect(cube.sqlApi).toBe('off');
    const sqlApiLines = logs.filter((line) => /SQL API/.test(line.message));
    expect(sqlApiLines).toHaveLength(1);
    const native = nativeStatus();
    if (!native.available) {
      expect(sqlApiLines[0]).toMatchObject({ level: 'warn' });
      expect(sqlApiLines[0]!.message).toContain(native.reason);
    }
  });

  it('answers /v1/cubesql with 501 and the reason when native does not load', async () => {
    if (nativeStatus().available) return;
    const response = await call(cube, '/cubesql', {
      authorization: tokenFor(ACME),
      method: 'POST',
      body: JSON.stringify({ query: 'SELECT 1' }),
    });
    expect(response.status).toBe(501);
    expect(response.body.error).toMatch(/SQL API is off/);
  });

  it('rejects, rather than crashing later, when its port is taken', async () => {
    await expect(startFixtureCube(database.url, cube.port)).rejects.toThrow(/EADDRINUSE/);
  });

  it('lists the YAML model (compiled without native) in /v1/meta', async () => {
    const { status, body } = await call(cube, '/meta', { authorization: tokenFor(ACME) });
    expect(status).toBe(200);
    const cubes = body.cubes as { name: string; type: string; measures: { name: string }[] }[];
    expect(cubes.map((c) => [c.name, c.type]).sort()).toEqual([
      ['customers', 'cube'],
      ['engagement', 'view'],
      ['survey_responses', 'cube'],
    ]);
    expect(
      cubes
        .find((c) => c.name === 'engagement')!
        .measures.map((m) => m.name)
        .sort(),
    ).toEqual(['engagement.count', 'engagement.responses']);
  });
});

describe('/v1/load', () => {
  it('returns the numbers in PostgreSQL', async () => {
    expect(
      await rows(cube, tokenFor(ACME), {
        measures: ['customers.count'],
        dimensions: ['customers.plan'],
        order: { 'customers.plan': 'asc' },
      }),
    ).toEqual([
      { 'customers.plan': 'free', 'customers.count': 1 },
      { 'customers.plan': 'pro', 'customers.count': 2 },
    ]);
    expect(await rows(cube, tokenFor(ACME), { measures: ['survey_responses.average_score'], segments: ['survey_responses.nps'] })).toEqual([
      { 'survey_responses.average_score': 22 / 3 },
    ]);
  });

  it('groups by time', async () => {
    const data = await rows(cube, tokenFor(ACME), {
      measures: ['customers.count'],
      timeDimensions: [{ dimension: 'customers.signup_at', granularity: 'month', dateRange: ['2026-01-01', '2026-03-31'] }],
      order: { 'customers.signup_at': 'asc' },
    });
    expect(data).toEqual([
      { 'customers.signup_at.month': '2026-01-01T00:00:00.000', 'customers.signup_at': '2026-01-01T00:00:00.000', 'customers.count': 1 },
      { 'customers.signup_at.month': '2026-02-01T00:00:00.000', 'customers.signup_at': '2026-02-01T00:00:00.000', 'customers.count': 2 },
    ]);
  });

  it('answers through a view joining two cubes', async () => {
    expect(await rows(cube, tokenFor(ACME), { measures: ['engagement.count', 'engagement.responses'] })).toEqual([
      { 'engagement.count': 3, 'engagement.responses': 4 },
    ]);
  });

  it("builds a matching pre-aggregation in the tenant's own rollup schema and answers from it", async () => {
    const query = {
      measures: ['survey_responses.count'],
      dimensions: ['survey_responses.kind'],
      order: { 'survey_responses.kind': 'asc' },
    };
    const sql = await call(cube, `/sql?query=${encodeURIComponent(JSON.stringify(query))}`, { authorization: tokenFor(ACME) });
    expect(sql.status).toBe(200);
    const preAggregations = (sql.body.sql as { preAggregations: { tableName: string }[] }).preAggregations;
    expect(preAggregations.map((p) => p.tableName)).toEqual(['cube_pre_aggregations_t_acme.survey_responses_by_kind']);

    expect(await rows(cube, tokenFor(ACME), query)).toEqual([
      { 'survey_responses.kind': 'csat', 'survey_responses.count': 1 },
      { 'survey_responses.kind': 'nps', 'survey_responses.count': 3 },
    ]);
    const tables = await database
      .db('information_schema.tables')
      .where({ table_schema: 'cube_pre_aggregations_t_acme' })
      .pluck('table_name');
    expect(tables).toEqual([expect.stringMatching(/^survey_responses_by_kind/)]);
  });
});
