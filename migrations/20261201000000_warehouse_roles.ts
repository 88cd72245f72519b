import type { Knex } from 'knex';

// Cube reads the warehouse as least-privilege roles, and row-level security scopes every tenant
// table to the tenant of the connected role, so SQL that escapes Cube's own tenant filter (an
// injection) still sees one tenant. Roles are cluster-wide, so their names start with a prefix
// of this database's. Tenant login roles are made at run time (src/warehouse/roles.ts); here:
//   <prefix>_reader  NOLOGIN; holds SELECT on the tables; every tenant role is a member of it;
//   <prefix>_admin   made a login with a password at run time; reads every tenant: admin tokens, the
//                    metrics views publisher, rollups for all tenants.
// A tenant role's tenant comes from tenancy.tenant_roles, which no Cube role can write, looked up
// by session_user, which SET ROLE and set_config cannot change.

const TENANT_TABLES = [
  'customers',
  'subscriptions',
  'orders',
  'web_sessions',
  'survey_responses',
  'support_tickets',
  'campaign_stats',
  'social_posts',
];
const READABLE_TABLES = ['tenants', ...TENANT_TABLES, 'date_spine'];
const ADMIN_ROLLUP_SCHEMA = 'cube_pre_aggregations';

/** The prefix the database's name gives its roles: the name itself when it is a plain identifier. */
function rolePrefixSql(): string {
  return `CASE WHEN current_database() ~ '^[a-z_][a-z0-9_]{0,29}$' THEN current_database()
    ELSE 'db_' || left(md5(current_database()), 12) END`;
}

async function prefix(knex: Knex): Promise<string> {
  const { rows } = await knex.raw(`SELECT ${rolePrefixSql()} AS prefix`);
  return (rows as { prefix: string }[])[0]!.prefix;
}

async function assertCanCreateRoles(knex: Knex): Promise<void> {
  const { rows } = await knex.raw(
    'SELECT current_user AS name, rolsuper OR rolcreaterole AS can FROM pg_roles WHERE rolname = current_user',
  );
  const me = (rows as { name: string; can: boolean }[])[0]!;
  if (!me.can) {
    throw new Error(
      `The warehouse user ${me.name} (DATABASE_URL's) cannot create roles: Cube reads the warehouse as ` +
        `least-privilege roles that it makes. Grant it CREATEROLE (ALTER ROLE ${me.name} CREATEROLE) or use a superuser.`,
    );
  }
}

/**
 * Roles outlive a dropped database, so a database made again under the same name finds its
 * group roles there already. Adopt them, but not their history: whatever a role was given since
 * (LOGIN, SUPERUSER, BYPASSRLS, membership of another role) is taken back, and a role this user
 * may not reset (a superuser, for one) stops the migration rather than being trusted.
 */
async function ensureGroupRole(knex: Knex, role: string): Promise<void> {
  const { rows } = await knex.raw('SELECT 1 FROM pg_roles WHERE rolname = ?', [role]);
  if (rows.length === 0) {
    await knex.raw(`CREATE ROLE ${role} NOLOGIN`);
    return;
  }
  await knex.raw(`ALTER ROLE ${role} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS PASSWORD NULL`);
  const { rows: memberships } = await knex.raw('SELECT roleid::regrole::text AS parent FROM pg_auth_members WHERE member = ?::regrole', [
    role,
  ]);
  for (const { parent } of memberships as { parent: string }[]) await knex.raw(`REVOKE ${parent} FROM ${role}`);
}

export async function up(knex: Knex): Promise<void> {
  await assertCanCreateRoles(knex);
  const p = await prefix(knex);
  const reader = `${p}_reader`;
  const admin = `${p}_admin`;
  await ensureGroupRole(knex, reader);
  await ensureGroupRole(knex, admin);
  await knex.raw(`CREATE SCHEMA tenancy`);
  await knex.raw(`CREATE FUNCTION tenancy.role_prefix() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT '${p}'::text $$`);
  await knex.raw(`CREATE TABLE tenancy.tenant_roles (
    role_name name PRIMARY KEY,
    tenant_id text NOT NULL UNIQUE
  )`);
  // SECURITY DEFINER: the roles that call it cannot read the mapping. session_user, not
  // current_user: inside this function current_user is its owner, and SET ROLE cannot move it.
  await knex.raw(`CREATE FUNCTION tenancy.current_tenant() RETURNS text
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, pg_temp
    AS $$ SELECT tenant_id FROM tenancy.tenant_roles WHERE role_name = session_user $$`);
  await knex.raw(`REVOKE ALL ON FUNCTION tenancy.current_tenant() FROM PUBLIC`);
  await knex.raw(`GRANT USAGE ON SCHEMA tenancy TO ${reader}, ${admin}`);
  await knex.raw(`GRANT EXECUTE ON FUNCTION tenancy.current_tenant() TO ${reader}, ${admin}`);
  // PostgreSQL 15 and later already refuse PUBLIC's CREATE on public; older servers do not.
  await knex.raw(`REVOKE CREATE ON SCHEMA public FROM PUBLIC`);
  await knex.raw(`GRANT USAGE ON SCHEMA public TO ${reader}, ${admin}`);
  await knex.raw(`GRANT SELECT ON ${READABLE_TABLES.join(', ')} TO ${reader}, ${admin}`);
  await knex.raw(`GRANT USAGE, CREATE ON SCHEMA ${ADMIN_ROLLUP_SCHEMA} TO ${admin}`);
  // The sub-select makes the tenant an init plan: looked up once per query, not once per row,
  // and the (tenant_id, …) indexes still apply. The table owner (who migrates, seeds and imports)
  // is not subject to these policies.
  for (const [table, column] of [['tenants', 'id'], ...TENANT_TABLES.map((t) => [t, 'tenant_id'])] as const) {
    await knex.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    await knex.raw(`CREATE POLICY tenant_rows ON ${table} FOR SELECT TO ${reader} USING (${column} = (SELECT tenancy.current_tenant()))`);
    await knex.raw(`CREATE POLICY admin_rows ON ${table} FOR SELECT TO ${admin} USING (true)`);
  }
}

export async function down(knex: Knex): Promise<void> {
  const p = await prefix(knex);
  const reader = `${p}_reader`;
  const admin = `${p}_admin`;
  for (const table of ['tenants', ...TENANT_TABLES]) {
    await knex.raw(`DROP POLICY IF EXISTS tenant_rows ON ${table}`);
    await knex.raw(`DROP POLICY IF EXISTS admin_rows ON ${table}`);
    await knex.raw(`ALTER TABLE ${table} DISABLE ROW LEVEL SECURITY`);
  }
  // Tenant roles own their rollup tables: drop those with their schemas, then the roles.
  const { rows } = await knex.raw(`SELECT member::regrole::text AS role FROM pg_auth_members WHERE roleid = '${reader}'::regrole`);
  for (const { role } of rows as { role: string }[]) {
    await knex.raw(`DROP OWNED BY ${role}`);
    await knex.raw(`DROP ROLE ${role}`);
  }
  const { rows: schemas } = await knex.raw(`SELECT nspname FROM pg_namespace WHERE nspname LIKE '${ADMIN_ROLLUP_SCHEMA}\\_%'`);
  for (const { nspname } of schemas as { nspname: string }[]) await knex.raw(`DROP SCHEMA ${nspname} CASCADE`);
  await knex.raw(`DROP SCHEMA tenancy CASCADE`);
  for (const role of [admin, reader]) {
    await knex.raw(`DROP OWNED BY ${role}`);
    await knex.raw(`DROP ROLE ${role}`);
  }
}
