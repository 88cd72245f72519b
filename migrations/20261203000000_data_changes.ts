import type { Knex } from 'knex';

// What each import changed, for the rollups: Cube rebuilds a rollup partition when the latest
// change reaching into its time range is newer than the partition (src/cube/data-change-keys.ts).
// `from_at` is the earliest instant the import touched (-infinity when it changed customers'
// attributes, which every fact's rollups are broken down by): every partition ending after it is
// rebuilt, as running totals and a tenant's observation end reach forward from a change.
// In the tenancy schema, not public: it is no table of the warehouse contract, and no import target.
// No foreign key to tenants: the seeder truncates tenants, and a note outliving its tenant only
// costs a rebuild.
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`CREATE TABLE tenancy.data_changes (
    tenant_id text NOT NULL,
    changed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
    from_at timestamptz NOT NULL
  )`);
  await knex.raw(`CREATE INDEX data_changes_tenant_from_at ON tenancy.data_changes (tenant_id, from_at)`);
  const { rows } = await knex.raw('SELECT tenancy.role_prefix() AS prefix');
  const prefix = (rows as { prefix: string }[])[0]!.prefix;
  await knex.raw(`GRANT SELECT ON tenancy.data_changes TO ${prefix}_reader, ${prefix}_admin`);
  await knex.raw(`ALTER TABLE tenancy.data_changes ENABLE ROW LEVEL SECURITY`);
  await knex.raw(
    `CREATE POLICY tenant_rows ON tenancy.data_changes FOR SELECT TO ${prefix}_reader USING (tenant_id = (SELECT tenancy.current_tenant()))`,
  );
  await knex.raw(`CREATE POLICY admin_rows ON tenancy.data_changes FOR SELECT TO ${prefix}_admin USING (true)`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TABLE tenancy.data_changes`);
}
