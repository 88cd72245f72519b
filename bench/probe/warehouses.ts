import pg from 'pg';
import { seedWarehouse } from '../../seeds/index.js';
import { connect } from '../../src/warehouse/connection.js';
import { withDatabase } from '../../src/warehouse/databases.js';
import { migrateLatest } from '../../src/warehouse/migrate.js';

/** The shared warehouse the probe attacks, and one per tenant holding only that tenant's rows. */
export interface ProbeWarehouses {
  sharedUrl: string;
  tenants: string[];
  /** Tenant id → a copy of the shared warehouse with every other tenant's rows deleted. */
  isolatedUrls: Map<string, string>;
  /** A copy with no tenant's rows at all: the right answer for a token naming no existing tenant. */
  emptyUrl: string;
  drop(): Promise<void>;
}

async function onServer<T>(adminUrl: string, body: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await body(client);
  } finally {
    await client.end();
  }
}

/** Deletes every row not belonging to `keep` (null: to no tenant) from every table with a tenant. */
async function keepOnly(url: string, keep: string | null): Promise<void> {
  await onServer(url, async (client) => {
    const { rows } = await client.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name = 'tenant_id' ORDER BY table_name`,
    );
    await client.query('BEGIN');
    // Facts reference customers: without foreign-key triggers the order of deletes does not matter.
    await client.query("SET LOCAL session_replication_role = 'replica'");
    for (const { table_name: table } of rows) {
      await client.query(`DELETE FROM "${table}" WHERE tenant_id IS DISTINCT FROM $1`, [keep]);
    }
    await client.query('DELETE FROM tenants WHERE id IS DISTINCT FROM $1', [keep]);
    await client.query('COMMIT');
    await client.query('VACUUM ANALYZE');
  });
}

/**
 * Drops the login roles the warehouse-roles migration and Cube made for the database `name` (and
 * its copies, which keep its role prefix). Roles are cluster-wide: they outlive DROP DATABASE, and
 * the migration's CREATE ROLE then fails on the next database of that name. The prefix rule is
 * the migration's (migrations/20261201000000_warehouse_roles.ts), applied to a name, not current_database().
 */
async function dropRoles(adminUrl: string, name: string): Promise<void> {
  await onServer(adminUrl, async (client) => {
    const { rows } = await client.query<{ rolname: string }>(
      `WITH p AS (SELECT CASE WHEN $1::text ~ '^[a-z_][a-z0-9_]{0,29}$' THEN $1::text ELSE 'db_' || left(md5($1::text), 12) END || '_' AS prefix)
       SELECT rolname FROM pg_roles, p WHERE left(rolname, length(p.prefix)) = p.prefix ORDER BY rolname`,
      [name],
    );
    for (const { rolname } of rows) await client.query(`DROP ROLE IF EXISTS ${pg.escapeIdentifier(rolname)}`);
  });
}

/**
 * Creates `<prefix>_shared` on the server of `adminUrl` (migrated and seeded), then copies of it
 * per tenant and an empty one. Databases and roles of an earlier run with the same prefix are replaced.
 */
export async function prepareProbeWarehouses(
  adminUrl: string,
  options: { prefix: string; customers: number; seed: number; until: Date; months: number },
): Promise<ProbeWarehouses> {
  const shared = `${options.prefix}_shared`;
  const sharedUrl = withDatabase(adminUrl, shared);
  const created: string[] = [];
  const create = async (name: string, template?: string) => {
    await onServer(adminUrl, async (client) => {
      await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
    });
    created.push(name);
    return withDatabase(adminUrl, name);
  };
  const drop = async () => {
    await onServer(adminUrl, async (client) => {
      for (const name of created.reverse()) await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    });
    await dropRoles(adminUrl, shared);
  };
  try {
    // An earlier run's databases and roles (left if it was killed): its roles hold grants in its databases.
    await onServer(adminUrl, async (client) => {
      const { rows } = await client.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datname = $1 OR datname ~ $2', [
        shared,
        `^${options.prefix}_(t[0-9]+|none)$`,
      ]);
      for (const { datname } of rows) await client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)} WITH (FORCE)`);
    });
    await dropRoles(adminUrl, shared);
    await create(shared);
    const db = connect(sharedUrl);
    try {
      await migrateLatest(db);
    } finally {
      await db.destroy();
    }
    await seedWarehouse(sharedUrl, { customers: options.customers, seed: options.seed, until: options.until, months: options.months });
    const tenants = await onServer(sharedUrl, async (client) =>
      (await client.query<{ id: string }>('SELECT id FROM tenants ORDER BY id')).rows.map((r) => r.id),
    );
    const isolatedUrls = new Map<string, string>();
    for (const [i, tenant] of tenants.entries()) {
      const url = await create(`${options.prefix}_t${i}`, shared);
      await keepOnly(url, tenant);
      isolatedUrls.set(tenant, url);
    }
    const emptyUrl = await create(`${options.prefix}_none`, shared);
    await keepOnly(emptyUrl, null);
    return { sharedUrl, tenants, isolatedUrls, emptyUrl, drop };
  } catch (error) {
    await drop().catch(() => {});
    throw error;
  }
}
