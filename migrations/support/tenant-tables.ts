import type { Knex } from 'knex';

// What every migration that adds a tenant's table does beside creating it. Written once so a
// new table cannot be readable by the Cube roles without row-level security, or the reverse.

const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

/** Notes on tables (`name`) and columns (`table.column`), which the contract (docs/warehouse.md) prints beside them. */
export async function addNotes(knex: Knex, notes: Record<string, string>): Promise<void> {
  for (const [name, note] of Object.entries(notes)) {
    await knex.raw(`COMMENT ON ${name.includes('.') ? 'COLUMN' : 'TABLE'} ${name} IS ${literal(note)}`);
  }
}

/**
 * SELECT for the Cube roles (20261201000000_warehouse_roles.ts), with row-level security that
 * scopes the tenant roles to their tenant's rows and lets the admin role read every tenant.
 */
export async function shareWithCubeRoles(knex: Knex, tables: readonly string[]): Promise<void> {
  const { rows } = await knex.raw('SELECT tenancy.role_prefix() AS prefix');
  const prefix = (rows as { prefix: string }[])[0]!.prefix;
  await knex.raw(`GRANT SELECT ON ${tables.join(', ')} TO ${prefix}_reader, ${prefix}_admin`);
  for (const table of tables) {
    await knex.raw(`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`);
    await knex.raw(
      `CREATE POLICY tenant_rows ON ${table} FOR SELECT TO ${prefix}_reader USING (tenant_id = (SELECT tenancy.current_tenant()))`,
    );
    await knex.raw(`CREATE POLICY admin_rows ON ${table} FOR SELECT TO ${prefix}_admin USING (true)`);
  }
}
