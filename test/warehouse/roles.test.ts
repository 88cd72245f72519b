import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ignoreErrorsOfEndingClients } from '../../src/cube/pool-errors.js';
import { rolePrefix, WarehouseRoleError, WarehouseRoles, UnknownTenantError, type WarehouseLogin } from '../../src/warehouse/roles.js';
import { connect } from '../../src/warehouse/connection.js';
import { migrateDownAll, migrateLatest } from '../../src/warehouse/migrate.js';
import { createTestDatabase, type TestDatabase } from '../support/database.js';
import { ACME, GLOBEX, seedTwoTenants } from '../cube/support.js';

const SECRET = 'roles-test-secret-long-enough';
const STATEMENT_TIMEOUT_MS = 1_500;

let t: TestDatabase;
let roles: WarehouseRoles;
let owner: pg.Pool;
const clients: pg.Client[] = [];

async function connectAs(login: WarehouseLogin): Promise<pg.Client> {
  const url = new URL(t.url);
  url.username = login.user;
  url.password = login.password;
  const client = new pg.Client({ connectionString: url.toString() });
  await client.connect();
  clients.push(client);
  return client;
}

/** PostgreSQL's error for a statement, or null when it ran. */
async function refusal(client: pg.Client, sql: string): Promise<string | null> {
  try {
    await client.query(sql);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

beforeAll(async () => {
  t = await createTestDatabase();
  await seedTwoTenants(t.db);
  owner = new pg.Pool({ connectionString: t.url, max: 2 });
  ignoreErrorsOfEndingClients(owner);
  roles = new WarehouseRoles(owner, SECRET, STATEMENT_TIMEOUT_MS);
});

afterAll(async () => {
  for (const client of clients) await client.end().catch(() => {});
  await owner.end();
  await t.drop();
});

describe("a tenant's warehouse role", () => {
  let acme: pg.Client;
  beforeAll(async () => {
    acme = await connectAs(await roles.tenant(ACME));
  });

  it('is no superuser and sees only its tenant in every tenant table', async () => {
    const {
      rows: [me],
    } = await acme.query(`SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles WHERE rolname = current_user`);
    expect(me).toEqual({ rolsuper: false, rolcreaterole: false, rolcreatedb: false, rolbypassrls: false });
    expect((await acme.query('SELECT DISTINCT tenant_id FROM customers')).rows).toEqual([{ tenant_id: ACME }]);
    expect((await acme.query('SELECT count(*)::int AS n FROM customers')).rows).toEqual([{ n: 3 }]);
    expect((await acme.query('SELECT id FROM tenants')).rows).toEqual([{ id: ACME }]);
    expect((await acme.query(`SELECT count(*)::int AS n FROM survey_responses WHERE tenant_id = '${GLOBEX}'`)).rows).toEqual([{ n: 0 }]);
  });

  it('cannot widen its scope with set_config, SET ROLE or SET SESSION AUTHORIZATION', async () => {
    await acme.query(`SELECT set_config('app.tenant', '${GLOBEX}', false)`);
    expect((await acme.query('SELECT DISTINCT tenant_id FROM customers')).rows).toEqual([{ tenant_id: ACME }]);
    // Turning row security off makes PostgreSQL refuse the query, not skip the policy.
    await acme.query(`SELECT set_config('row_security', 'off', false)`);
    expect(await refusal(acme, 'SELECT DISTINCT tenant_id FROM customers')).toBe(
      'query would be affected by row-level security policy for table "customers"',
    );
    await acme.query('RESET row_security');
    const globexRole = (await roles.tenant(GLOBEX)).user;
    expect(await refusal(acme, `SET ROLE ${globexRole}`)).toMatch(/permission denied to set role/);
    expect(await refusal(acme, `SELECT set_config('role', '${globexRole}', false)`)).toMatch(/permission denied to set role/);
    expect(await refusal(acme, `SET SESSION AUTHORIZATION ${globexRole}`)).toMatch(/permission denied/);
    // Its group role is allowed, and the tenant is still the one it logged in as.
    await acme.query(`SET ROLE ${rolePrefix(new URL(t.url).pathname.slice(1))}_reader`);
    expect((await acme.query('SELECT DISTINCT tenant_id FROM customers')).rows).toEqual([{ tenant_id: ACME }]);
    await acme.query('RESET ROLE');
  });

  it('cannot read the tenant mapping, files or the rows behind planner statistics', async () => {
    expect(await refusal(acme, 'SELECT * FROM tenancy.tenant_roles')).toMatch(/permission denied for table tenant_roles/);
    expect(await refusal(acme, `SELECT pg_read_file('PG_VERSION')`)).toMatch(/permission denied for function pg_read_file/);
    expect(await refusal(acme, `COPY customers TO '/tmp/leak.csv'`)).toMatch(
      /permission denied|must be superuser|privileges of the "pg_write_server_files" role/,
    );
    await t.db.raw('ANALYZE customers');
    // pg_stats would show other tenants' values; PostgreSQL hides it from roles under row-level security.
    expect((await acme.query(`SELECT count(*)::int AS n FROM pg_stats WHERE tablename = 'customers'`)).rows).toEqual([{ n: 0 }]);
  });

  it('cannot write the warehouse or create objects outside its rollup schema', async () => {
    expect(await refusal(acme, `INSERT INTO tenants (id, name, business_model) VALUES ('x', 'x', 'b2b')`)).toMatch(
      /permission denied for table tenants/,
    );
    expect(await refusal(acme, `UPDATE customers SET plan = 'x'`)).toMatch(/permission denied for table customers/);
    expect(await refusal(acme, 'DELETE FROM survey_responses')).toMatch(/permission denied for table survey_responses/);
    expect(await refusal(acme, 'TRUNCATE web_sessions')).toMatch(/permission denied for table web_sessions/);
    expect(await refusal(acme, `INSERT INTO tenancy.tenant_roles VALUES (current_user, '${GLOBEX}')`)).toMatch(/permission denied/);
    expect(await refusal(acme, 'CREATE TABLE public.mine (x int)')).toMatch(/permission denied for schema public/);
    expect(await refusal(acme, 'CREATE SCHEMA mine')).toMatch(/permission denied for database/);
    expect(await refusal(acme, 'CREATE TABLE cube_pre_aggregations.mine (x int)')).toMatch(
      /permission denied for schema cube_pre_aggregations/,
    );
    expect(await refusal(acme, 'CREATE TABLE cube_pre_aggregations_t_globex.mine (x int)')).toMatch(
      /permission denied for schema cube_pre_aggregations_t_globex/,
    );
    // Its own rollup schema is where Cube builds its rollups.
    expect(await refusal(acme, 'CREATE TABLE cube_pre_aggregations_t_acme.mine AS SELECT id FROM customers')).toBeNull();
    expect(await refusal(acme, 'DROP TABLE cube_pre_aggregations_t_acme.mine')).toBeNull();
  });

  it('has the statement timeout as a login default', async () => {
    expect((await acme.query('SHOW statement_timeout')).rows).toEqual([{ statement_timeout: `${STATEMENT_TIMEOUT_MS}ms` }]);
    expect(await refusal(acme, 'SELECT pg_sleep(3)')).toMatch(/statement timeout/);
  });
});

describe('the admin role', () => {
  it('reads every tenant and writes only cube_pre_aggregations', async () => {
    const admin = await connectAs(await roles.admin());
    expect((await admin.query('SELECT tenant_id FROM customers GROUP BY 1 ORDER BY 1')).rows).toEqual([
      { tenant_id: ACME },
      { tenant_id: GLOBEX },
    ]);
    expect(await refusal(admin, `SELECT pg_read_file('PG_VERSION')`)).toMatch(/permission denied/);
    expect(await refusal(admin, `DELETE FROM customers`)).toMatch(/permission denied/);
    expect(await refusal(admin, 'CREATE TABLE public.mine (x int)')).toMatch(/permission denied for schema public/);
    expect(await refusal(admin, 'CREATE TABLE cube_pre_aggregations.mine (x int)')).toBeNull();
    expect(await refusal(admin, 'DROP TABLE cube_pre_aggregations.mine')).toBeNull();
  });
});

describe('making roles', () => {
  it('refuses a tenant that is not in the warehouse', async () => {
    await expect(roles.tenant('nosuch')).rejects.toThrow(UnknownTenantError);
    await expect(roles.tenant('nosuch')).rejects.toThrow('Tenant "nosuch" does not exist in the warehouse.');
  });

  it('gives a tenant id that is not a plain identifier a hashed role name', async () => {
    const odd = `Odd "tenant"; DROP TABLE customers; --`;
    await t.db('tenants').insert({ id: odd, name: 'Odd', business_model: 'b2c' });
    const login = await roles.tenant(odd);
    expect(login.user).toMatch(/_h_[0-9a-f]{16}$/);
    expect(login.rollupSchema).toMatch(/^cube_pre_aggregations_h_[0-9a-f]{16}$/);
    const client = await connectAs(login);
    expect((await client.query('SELECT id FROM tenants')).rows).toEqual([{ id: odd }]);
    expect((await client.query('SELECT count(*)::int AS n FROM customers')).rows).toEqual([{ n: 0 }]);
  });

  it("names DATABASE_URL's missing privilege when the owner may not make roles", async () => {
    const weakName = `${rolePrefix(new URL(t.url).pathname.slice(1))}_weak`;
    await t.db.raw(`CREATE ROLE ${weakName} LOGIN BYPASSRLS PASSWORD 'weak'`);
    const url = new URL(t.url);
    url.username = weakName;
    url.password = 'weak';
    const weak = new pg.Pool({ connectionString: url.toString(), max: 1 });
    ignoreErrorsOfEndingClients(weak);
    try {
      await t.db('tenants').insert({ id: 'newcomer', name: 'New', business_model: 'b2c' });
      await t.db.raw(`GRANT SELECT ON tenants TO ${weakName}; GRANT USAGE ON SCHEMA tenancy TO ${weakName}`);
      const error = await new WarehouseRoles(weak, SECRET, STATEMENT_TIMEOUT_MS).tenant('newcomer').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WarehouseRoleError);
      expect((error as Error).message).toMatch(
        /^The warehouse user \S+_weak \(DATABASE_URL's\) may not manage Cube's roles: it needs CREATEROLE/,
      );
    } finally {
      await weak.end();
      await t.db.raw(`DROP OWNED BY ${weakName}; DROP ROLE ${weakName}`);
    }
  });
});

describe("DATABASE_URL's user without CREATEROLE", () => {
  it('cannot migrate, and the migration says what the user needs', async () => {
    const name = `${rolePrefix(new URL(t.url).pathname.slice(1))}_owner`;
    const server = new pg.Pool({ connectionString: t.url, max: 1 });
    ignoreErrorsOfEndingClients(server);
    await server.query(`CREATE ROLE ${name} LOGIN PASSWORD 'owner'`);
    await server.query(`CREATE DATABASE ${name} OWNER ${name}`);
    const url = new URL(t.url);
    Object.assign(url, { username: name, password: 'owner', pathname: `/${name}` });
    const db = connect(url.toString());
    try {
      await expect(migrateLatest(db)).rejects.toThrow(
        `The warehouse user ${name} (DATABASE_URL's) cannot create roles: Cube reads the warehouse as least-privilege roles that it makes. ` +
          `Grant it CREATEROLE (ALTER ROLE ${name} CREATEROLE) or use a superuser.`,
      );
    } finally {
      await db.destroy();
      await server.query(`DROP DATABASE ${name} WITH (FORCE)`);
      await server.query(`DROP ROLE ${name}`);
      await server.end();
    }
  });
});

describe('the role prefix', () => {
  it('is computed in TypeScript exactly as the migration computes it in SQL', async () => {
    const { rows } = await t.db.raw('SELECT tenancy.role_prefix() AS prefix, current_database() AS name');
    expect(rolePrefix(rows[0].name)).toBe(rows[0].prefix);
    expect(rolePrefix('engagement')).toBe('engagement');
    expect(rolePrefix('My-DB')).toMatch(/^db_[0-9a-f]{12}$/);
  });
});

describe('the migration', () => {
  it('goes down with every role it and the runtime made, and up again', async () => {
    const prefix = rolePrefix(new URL(t.url).pathname.slice(1));
    const rolesNow = async () =>
      (await t.db.raw(`SELECT rolname FROM pg_roles WHERE rolname LIKE ? ORDER BY 1`, [`${prefix}\\_%`])).rows.map(
        (r: { rolname: string }) => r.rolname,
      );
    expect(await rolesNow()).toEqual(
      expect.arrayContaining([`${prefix}_admin`, `${prefix}_reader`, `${prefix}_t_acme`, `${prefix}_t_globex`]),
    );
    await migrateDownAll(t.db);
    expect(await rolesNow()).toEqual([]);
    expect((await t.db.raw(`SELECT nspname FROM pg_namespace WHERE nspname LIKE 'cube\\_%' OR nspname = 'tenancy'`)).rows).toEqual([]);
    await migrateLatest(t.db);
    expect(await rolesNow()).toEqual([`${prefix}_admin`, `${prefix}_reader`]);
    const { rows } = await t.db.raw(`SELECT relname FROM pg_class WHERE relrowsecurity ORDER BY 1`);
    expect(rows.map((r: { relname: string }) => r.relname)).toEqual([
      'campaign_stats',
      'churn_risk_models',
      'churn_risk_scores',
      'cohort_retention_forecast',
      'customer_predictions',
      'customers',
      'data_changes',
      'events',
      'orders',
      'prediction_fits',
      'reviews',
      'social_account_days',
      'social_posts',
      'subscriptions',
      'support_tickets',
      'survey_responses',
      'tenants',
      'web_sessions',
    ]);
  });
});
