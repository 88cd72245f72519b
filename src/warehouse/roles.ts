import { createHash, createHmac } from 'node:crypto';
import type { Knex } from 'knex';
import pg from 'pg';
import { ADMIN_ROLLUP_SCHEMA, tenantRollupSchema, tenantSlug } from '../cube/pre-aggregations-schema.js';

/** A role Cube logs in as, and the rollup schema it may write. */
export interface WarehouseLogin {
  user: string;
  password: string;
  rollupSchema: string;
}

export class WarehouseRoleError extends Error {
  override name = 'WarehouseRoleError';
}

export class UnknownTenantError extends Error {
  override name = 'UnknownTenantError';
}

/**
 * Role passwords are derived, not stored: every process that holds the API secret (our server,
 * `npm run metrics`, the Cube container of docker-compose) computes the same ones, so none resets
 * another's. The label keeps them distinct from anything else signed with that secret.
 */
export function rolePassword(secret: string, role: string): string {
  return createHmac('sha256', secret).update(`warehouse role ${role}`).digest('hex');
}

/** The role names of a database, from the prefix its migration recorded. */
export function roleNames(prefix: string) {
  return {
    reader: `${prefix}_reader`,
    admin: `${prefix}_admin`,
    tenant: (tenant: string) => `${prefix}_${tenantSlug(tenant)}`,
  };
}

// Serialises role changes of this database across processes (roles are created "if missing").
const ROLE_LOCK = createHash('sha256').update('engagement warehouse roles').digest().readBigInt64BE(0).toString();

const ROLE_SETUP_REFUSALS = new Set(['42501', '42P01', '3F000', '42883']);

/** What Cube needs to do with the warehouse, mapped to PostgreSQL's refusal to let it. */
function explain(error: unknown, user: string): never {
  const code = (error as { code?: string }).code;
  if (code !== undefined && ROLE_SETUP_REFUSALS.has(code)) {
    const reason = error instanceof Error ? error.message : String(error);
    const what =
      code === '42501'
        ? `The warehouse user ${user} (DATABASE_URL's) may not manage Cube's roles: it needs CREATEROLE (or to be a superuser) and to own the warehouse tables.`
        : 'The warehouse has no tenancy schema: run the migrations first (npm run migrate).';
    throw new WarehouseRoleError(`${what} PostgreSQL said: ${reason}`);
  }
  throw error;
}

type Queryable = Pick<pg.PoolClient, 'query'>;
const id = (name: string) => pg.escapeIdentifier(name);

/**
 * Creates (if missing) and refreshes the login roles Cube reads the warehouse as, through the
 * owner's connection (DATABASE_URL's user, or the embedded superuser). A pg pool, not knex: its
 * connect timeout reads "timeout exceeded when trying to connect", which the API answers as an
 * unreachable warehouse (503), like the drivers' own.
 */
export class WarehouseRoles {
  private readonly logins = new Map<string, Promise<WarehouseLogin>>();

  constructor(
    private readonly owner: pg.Pool,
    private readonly secret: string,
    private readonly statementTimeoutMs: number,
  ) {}

  private async names(client: Queryable) {
    const { rows } = await client.query<{ prefix: string }>('SELECT tenancy.role_prefix() AS prefix');
    return roleNames(rows[0]!.prefix);
  }

  private async withLock<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    const client = await this.owner.connect();
    try {
      await client.query('BEGIN');
      await client.query('SELECT pg_advisory_xact_lock($1::bigint)', [ROLE_LOCK]);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      const code = (error as { code?: string }).code;
      if (code === undefined || !ROLE_SETUP_REFUSALS.has(code)) throw error;
      const { rows } = await client.query<{ user: string }>('SELECT current_user AS user');
      return explain(error, rows[0]!.user);
    } finally {
      client.release();
    }
  }

  /** Login settings every Cube role gets: a password, and a statement timeout as a backstop to the driver's. */
  private async refreshLogin(client: Queryable, role: string): Promise<string> {
    const password = rolePassword(this.secret, role);
    // ALTER ROLE takes no bind parameters; the password is hex digits, the timeout an integer.
    await client.query(`ALTER ROLE ${id(role)} LOGIN PASSWORD ${pg.escapeLiteral(password)}`);
    await client.query(`ALTER ROLE ${id(role)} SET statement_timeout = ${Math.round(this.statementTimeoutMs)}`);
    return password;
  }

  private async grantRollupSchema(client: Queryable, schema: string, role: string): Promise<void> {
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${id(schema)}`);
    await client.query(`GRANT USAGE, CREATE ON SCHEMA ${id(schema)} TO ${id(role)}`);
  }

  /** The role for admin contexts: every tenant's rows, rollups in cube_pre_aggregations. */
  admin(): Promise<WarehouseLogin> {
    return this.cached('admin', () =>
      this.withLock(async (client) => {
        const { admin } = await this.names(client);
        const password = await this.refreshLogin(client, admin);
        await this.grantRollupSchema(client, ADMIN_ROLLUP_SCHEMA, admin);
        return { user: admin, password, rollupSchema: ADMIN_ROLLUP_SCHEMA };
      }),
    );
  }

  /** The tenant's own role (a member of the reader role, of nothing else), made on first use. */
  tenant(tenant: string): Promise<WarehouseLogin> {
    return this.cached(`tenant ${tenant}`, () =>
      this.withLock(async (client) => {
        const exists = await client.query('SELECT 1 FROM tenants WHERE id = $1', [tenant]);
        if (exists.rowCount === 0) throw new UnknownTenantError(`Tenant ${JSON.stringify(tenant)} does not exist in the warehouse.`);
        const names = await this.names(client);
        const role = names.tenant(tenant);
        const known = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
        if (known.rowCount === 0) await client.query(`CREATE ROLE ${id(role)} NOLOGIN IN ROLE ${id(names.reader)}`);
        const password = await this.refreshLogin(client, role);
        await client.query('INSERT INTO tenancy.tenant_roles (role_name, tenant_id) VALUES ($1, $2) ON CONFLICT DO NOTHING', [
          role,
          tenant,
        ]);
        const { rows } = await client.query<{ tenant_id: string }>('SELECT tenant_id FROM tenancy.tenant_roles WHERE role_name = $1', [
          role,
        ]);
        if (rows[0]?.tenant_id !== tenant) {
          throw new WarehouseRoleError(
            `The role ${role} already belongs to tenant ${JSON.stringify(rows[0]?.tenant_id)}, not ${JSON.stringify(tenant)}.`,
          );
        }
        const rollupSchema = tenantRollupSchema(tenant);
        await this.grantRollupSchema(client, rollupSchema, role);
        return { user: role, password, rollupSchema };
      }),
    );
  }

  /** Makes the roles of every tenant now in the warehouse, and the admin role. */
  async all(): Promise<void> {
    await this.admin();
    const { rows } = await this.owner.query<{ id: string }>('SELECT id FROM tenants ORDER BY id');
    for (const { id: tenant } of rows) await this.tenant(tenant);
  }

  private cached(key: string, make: () => Promise<WarehouseLogin>): Promise<WarehouseLogin> {
    let login = this.logins.get(key);
    if (!login) {
      login = make();
      this.logins.set(key, login);
      // A failure (a tenant that does not exist yet, the warehouse down) is not remembered.
      login.catch(() => this.logins.delete(key));
    }
    return login;
  }
}

/**
 * Throws, naming them, when a table with a tenant_id has no row-level security: Cube's roles
 * could read every tenant's rows of it.
 */
export async function assertTenantTablesProtected(owner: Queryable): Promise<void> {
  const { rows } = await owner.query<{ relname: string }>(`SELECT c.relname FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attname = 'tenant_id' AND NOT a.attisdropped
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') AND NOT c.relrowsecurity
    ORDER BY 1`);
  const unprotected = rows.map((row) => row.relname);
  if (unprotected.length > 0) {
    throw new WarehouseRoleError(
      `Tables with a tenant_id but no row-level security: ${unprotected.join(', ')}. Add a migration that enables it ` +
        '(see migrations/20261201000000_warehouse_roles.ts).',
    );
  }
}

/**
 * The role prefix the migration gives a database (the same rule as its SQL): the database's
 * name when it is a plain identifier, else a hash of it.
 */
export function rolePrefix(database: string): string {
  return /^[a-z_][a-z0-9_]{0,29}$/.test(database) ? database : `db_${createHash('md5').update(database).digest('hex').slice(0, 12)}`;
}

/**
 * Drops the roles of a database that is gone (roles outlive DROP DATABASE): its tenant roles,
 * then the reader and admin roles.
 */
export async function dropRolesOf(server: Knex, prefix: string): Promise<void> {
  const { reader, admin } = roleNames(prefix);
  const { rows } = await server.raw(
    `SELECT r.rolname FROM pg_auth_members m JOIN pg_roles g ON g.oid = m.roleid JOIN pg_roles r ON r.oid = m.member
     WHERE g.rolname = ?`,
    [reader],
  );
  for (const { rolname } of rows as { rolname: string }[]) await server.raw('DROP ROLE IF EXISTS ??', [rolname]);
  await server.raw('DROP ROLE IF EXISTS ??', [reader]);
  await server.raw('DROP ROLE IF EXISTS ??', [admin]);
}
