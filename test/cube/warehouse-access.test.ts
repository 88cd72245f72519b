import path from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ignoreErrorsOfEndingClients } from '../../src/cube/pool-errors.js';
import { startCubeServer, type RunningCube } from '../../src/cube/server.js';
import { buildTimeoutMessage, statementTimeoutMessage, type WarehouseLimits } from '../../src/cube/warehouse-limits.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { ACME, API_SECRET, GLOBEX, adminToken, call, load, rows, seedTwoTenants, startFixtureCube, tokenFor } from './support.js';

const SLOW_MODEL = path.resolve(import.meta.dirname, 'fixtures/slow-model');

let database: TestDatabase;
let owner: pg.Pool;
const cubes: RunningCube[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  await seedTwoTenants(database.db);
  owner = new pg.Pool({ connectionString: database.url, max: 2 });
  ignoreErrorsOfEndingClients(owner);
});

afterAll(async () => {
  for (const cube of cubes) await cube.stop();
  await owner?.end();
  await database?.drop();
});

async function slowCube(limits: Partial<WarehouseLimits>): Promise<RunningCube> {
  const cube = await startCubeServer({
    databaseUrl: database.url,
    port: 0,
    apiSecret: API_SECRET,
    schemaPath: SLOW_MODEL,
    limits,
    logger: () => {},
  });
  cubes.push(cube);
  return cube;
}

const timed = async <T>(run: () => Promise<T>): Promise<[T, number]> => {
  const started = performance.now();
  const result = await run();
  return [result, performance.now() - started];
};

/** Statements of Cube's roles that PostgreSQL is running now, with the role that runs each. */
async function running(pattern: string): Promise<{ usename: string }[]> {
  const { rows: active } = await owner.query<{ usename: string }>(
    `SELECT usename FROM pg_stat_activity WHERE state = 'active' AND query LIKE $1 AND pid <> pg_backend_pid()`,
    [`%${pattern}%`],
  );
  return active;
}

describe("Cube's connections to the warehouse", () => {
  let cube: RunningCube;
  beforeAll(async () => {
    ({ cube } = await startFixtureCube(database.url));
    cubes.push(cube);
  });

  it("run as each tenant's own role, never as the owner", async () => {
    await rows(cube, tokenFor(ACME), { measures: ['customers.count'] });
    await rows(cube, tokenFor(GLOBEX), { measures: ['customers.count'] });
    await rows(cube, adminToken(), { measures: ['customers.count'] });
    const { rows: users } = await owner.query<{ usename: string }>(
      `SELECT DISTINCT usename FROM pg_stat_activity WHERE datname = current_database() AND usename <> current_user ORDER BY 1`,
    );
    // The owner (this test's connection, and Cube's for making roles) is left out.
    expect(users.map((user) => user.usename.replace(/^[a-z0-9_]+?_(?=admin$|t_)/, ''))).toEqual(['admin', 't_acme', 't_globex']);
  });

  it("return only the tenant's rows when the SQL has no tenant filter at all", async () => {
    // Cube's SQL for an admin context has no tenant filter: run it through acme's orchestrator,
    // as SQL that escaped the filter (an injection) would run.
    const query = { measures: ['customers.count'], dimensions: ['customers.tenant_id'] };
    const { body } = await call(cube, `/sql?query=${encodeURIComponent(JSON.stringify(query))}`, { authorization: adminToken() });
    const sqlQuery = body.sql as { sql: [string, string[]] };
    expect(sqlQuery.sql[0]).not.toMatch(/tenant_id\s*=/);
    const context = { securityContext: { tenant: ACME }, requestId: 'unscoped-sql' };
    const orchestrator = await cube.core.getOrchestratorApi(context);
    const result = await orchestrator.executeQuery({
      ...sqlQuery,
      query: sqlQuery.sql[0],
      values: sqlQuery.sql[1],
      continueWait: true,
      renewQuery: true,
      requestId: context.requestId,
    });
    expect(result.data).toEqual([{ customers__tenant_id: ACME, customers__count: 3 }]);
    // The admin context, through its own orchestrator, sees both tenants with the same SQL.
    const adminResult = await (
      await cube.core.getOrchestratorApi({ securityContext: { admin: true }, requestId: 'admin-sql' })
    ).executeQuery({
      ...sqlQuery,
      query: sqlQuery.sql[0],
      values: sqlQuery.sql[1],
      continueWait: true,
      renewQuery: true,
      requestId: 'admin-sql',
    });
    expect(adminResult.data.map((row: { customers__tenant_id: string }) => row.customers__tenant_id).sort()).toEqual([ACME, GLOBEX]);
  });
});

describe('per-tenant queues and the statement timeout', () => {
  let cube: RunningCube;
  beforeAll(async () => {
    cube = await slowCube({ tenantConcurrency: 1, statementTimeoutSeconds: 4, buildTimeoutSeconds: 30 });
  });

  it("let a tenant's query through while another tenant's queue is full", async () => {
    // Two 2-second queries of acme (different, so Cube does not merge them) fill its queue of one.
    const nap = (plan: string) =>
      load(cube, tokenFor(ACME), {
        measures: ['customers.nap'],
        filters: [{ member: 'customers.plan', operator: 'equals', values: [plan] }],
      });
    const acme = timed(() => Promise.all([nap('pro'), nap('free')]));
    await new Promise((resolve) => setTimeout(resolve, 300));
    const [globex, globexMs] = await timed(() => rows(cube, tokenFor(GLOBEX), { measures: ['customers.count'] }));
    expect(globex).toEqual([{ 'customers.count': 2 }]);
    const [[pro, free], acmeMs] = await acme;
    expect([pro.status, free.status]).toEqual([200, 200]);
    // Acme's two queries ran one after the other (≥ 4 s); globex's did not wait for them.
    expect(acmeMs).toBeGreaterThanOrEqual(3_900);
    expect(globexMs).toBeLessThan(1_500);
  });

  it('stop a query at the statement timeout with a 400 whose message names the limit and its variable', async () => {
    const [{ status, body }, elapsed] = await timed(() => load(cube, tokenFor(ACME), { measures: ['customers.long_sleep'] }));
    expect(body.error).toBe(statementTimeoutMessage(4));
    expect(body.error).toMatch(/statement timeout of 4 s \(CUBE_STATEMENT_TIMEOUT\)/);
    expect(status).toBe(400);
    expect(body).not.toHaveProperty('stack');
    expect(elapsed).toBeLessThan(10_000);
    expect(await running('pg_sleep(60)')).toEqual([]);
  });
});

describe('the build timeout', () => {
  it("lets a rollup build run past the queries' statement timeout", async () => {
    const cube = await slowCube({ statementTimeoutSeconds: 4, buildTimeoutSeconds: 30 });
    const [{ status, body }, elapsed] = await timed(() => load(cube, tokenFor(ACME), { measures: ['slow_build.count'] }));
    expect([status, body.error]).toEqual([200, undefined]);
    expect(body.data).toEqual([{ 'slow_build.count': 3 }]);
    expect(Object.keys(body.usedPreAggregations as object)).toEqual([expect.stringContaining('slow_build_totals')]);
    expect(elapsed).toBeGreaterThanOrEqual(5_500);
  });

  it('stops a rollup build at the build timeout with a 400 whose message names the limit and its variable', async () => {
    const cube = await slowCube({ statementTimeoutSeconds: 30, buildTimeoutSeconds: 2 });
    const [{ status, body }, elapsed] = await timed(() => load(cube, tokenFor(GLOBEX), { measures: ['slow_build.count'] }));
    expect(body.error).toBe(buildTimeoutMessage(2));
    expect(status).toBe(400);
    expect(elapsed).toBeLessThan(10_000);
    expect(await running('pg_sleep(6)')).toEqual([]);
  });
});

describe('a query whose client went away', () => {
  it('is cancelled in the warehouse once nobody has polled for it for the orphaned timeout', async () => {
    const orphanedTimeoutSeconds = 6;
    const cube = await slowCube({ orphanedTimeoutSeconds, statementTimeoutSeconds: 120 });
    // One poll, given up after a second: the client never asks again.
    const query = encodeURIComponent(
      JSON.stringify({ measures: ['customers.long_sleep'], filters: [{ member: 'customers.plan', operator: 'equals', values: ['pro'] }] }),
    );
    const askedAt = performance.now();
    await fetch(`${cube.apiUrl}/load?query=${query}`, {
      headers: { Authorization: tokenFor(GLOBEX) },
      signal: AbortSignal.timeout(1_000),
    }).catch(() => {});
    const statement = await running('pg_sleep(60)');
    expect(statement.map((s) => s.usename)).toEqual([expect.stringMatching(/_t_globex$/)]);
    let goneAfterMs: number | undefined;
    while (performance.now() - askedAt < 30_000) {
      if ((await running('pg_sleep(60)')).length === 0) {
        goneAfterMs = performance.now() - askedAt;
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    // Cancelled after the orphaned timeout (counted from the last poll), not after the 60 s sleep.
    expect(goneAfterMs).toBeGreaterThanOrEqual(orphanedTimeoutSeconds * 1000 - 1_000);
    expect(goneAfterMs).toBeLessThan(orphanedTimeoutSeconds * 1000 + 5_000);
  });
});
