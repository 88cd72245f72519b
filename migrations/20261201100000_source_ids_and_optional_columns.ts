import type { Knex } from 'knex';

// A business loads its own exports, so a row is identified by its tenant and the source's own id,
// a string ("C-00417", "cus_N3…"): two tenants may both have a "C-1", and nobody coordinates ids
// across tenants. Facts reference customers by (tenant_id, customer_id), as before, now in text.
//
// Descriptive columns a source may not have become optional (NULL: not known). The model shows a
// missing text value as 'unknown'; MRR, a number, is NULL when not known and never made up. The
// defaults that made up a KPI input (a session not converted, a ticket solved in one contact) go:
// those columns are required, since conversion rate and first-contact resolution read them.

const TABLES = [
  'customers',
  'subscriptions',
  'orders',
  'web_sessions',
  'survey_responses',
  'support_tickets',
  'campaign_stats',
  'social_posts',
] as const;

/** Tables whose rows reference a customer, with what deleting the customer does to them. */
const CUSTOMER_FACTS = [
  { table: 'subscriptions', fk: 'subscriptions_tenant_id_customer_id_foreign', onDelete: 'CASCADE' },
  { table: 'orders', fk: 'orders_tenant_id_customer_id_foreign', onDelete: 'CASCADE' },
  { table: 'web_sessions', fk: 'web_sessions_customer_fk', onDelete: 'SET NULL (customer_id)' },
  { table: 'survey_responses', fk: 'survey_responses_tenant_id_customer_id_foreign', onDelete: 'CASCADE' },
  { table: 'support_tickets', fk: 'support_tickets_tenant_id_customer_id_foreign', onDelete: 'CASCADE' },
] as const;

/** Columns a source may lack: NULL when it does. */
const OPTIONAL_COLUMNS: Record<string, readonly string[]> = {
  customers: ['plan', 'segment', 'country', 'acquisition_channel'],
  subscriptions: ['plan', 'mrr'],
  web_sessions: ['landing_page', 'channel', 'device'],
  survey_responses: ['touchpoint'],
  support_tickets: ['channel', 'tier'],
};

/** The columns that held generated numbers and now hold a source's ids. */
const ID_COLUMNS: Record<string, readonly string[]> = Object.fromEntries(
  TABLES.map((table) => [
    table,
    ['id', ...(CUSTOMER_FACTS.some((f) => f.table === table) ? ['customer_id'] : []), ...(table === 'web_sessions' ? ['visitor_id'] : [])],
  ]),
);

/** The `metrics` views (`npm run metrics` publishes them) read these columns, and PostgreSQL will not retype a column under a view. */
async function dropMetricsViews(knex: Knex): Promise<void> {
  const { rows } = await knex.raw(`SELECT quote_ident(viewname) AS name FROM pg_views WHERE schemaname = 'metrics'`);
  for (const { name } of rows as { name: string }[]) await knex.raw(`DROP VIEW metrics.${name} CASCADE`);
}

export async function up(knex: Knex): Promise<void> {
  await dropMetricsViews(knex);
  for (const { table, fk } of CUSTOMER_FACTS) await knex.raw(`ALTER TABLE ${table} DROP CONSTRAINT ${fk}`);
  await knex.raw(`ALTER TABLE customers DROP CONSTRAINT customers_tenant_id_id_unique`);

  for (const table of TABLES) {
    await knex.raw(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey`);
    for (const column of ID_COLUMNS[table]!) {
      await knex.raw(`ALTER TABLE ${table} ALTER COLUMN ${column} TYPE text USING ${column}::text`);
      if (column !== 'customer_id') {
        await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_${column}_not_empty CHECK (${column} <> '')`);
      }
    }
    await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY (tenant_id, id)`);
  }

  for (const { table, fk, onDelete } of CUSTOMER_FACTS) {
    // A customer's facts are found by tenant and customer together, as the foreign key reads them.
    await knex.raw(`DROP INDEX IF EXISTS ${table}_customer_id_index`);
    await knex.raw(`CREATE INDEX ${table}_tenant_id_customer_id_index ON ${table} (tenant_id, customer_id)`);
    await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${fk}
      FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE ${onDelete}`);
  }

  for (const [table, columns] of Object.entries(OPTIONAL_COLUMNS)) {
    for (const column of columns) await knex.raw(`ALTER TABLE ${table} ALTER COLUMN ${column} DROP NOT NULL`);
  }
  await knex.raw(`ALTER TABLE web_sessions ALTER COLUMN converted DROP DEFAULT`);
  await knex.raw(`ALTER TABLE support_tickets ALTER COLUMN contacts DROP DEFAULT`);
}

/** Rolling back needs ids that the old schema can hold: whole numbers, unique across tenants, and every optional column filled. */
async function assertFitsOldSchema(knex: Knex): Promise<void> {
  const problems: string[] = [];
  for (const table of TABLES) {
    for (const column of ID_COLUMNS[table]!) {
      const { rows } = await knex.raw(`SELECT ${column} AS value FROM ${table} WHERE ${column} !~ '^[0-9]{1,18}$' LIMIT 1`);
      if (rows.length > 0) problems.push(`${table}.${column} holds ${JSON.stringify(rows[0].value)}, not a whole number`);
    }
    const { rows } = await knex.raw(`SELECT id FROM ${table} GROUP BY id HAVING count(*) > 1 LIMIT 1`);
    if (rows.length > 0) problems.push(`${table}.id ${JSON.stringify(rows[0].id)} is used by more than one tenant`);
  }
  for (const [table, columns] of Object.entries(OPTIONAL_COLUMNS)) {
    for (const column of columns) {
      const { rows } = await knex.raw(`SELECT count(*)::int AS missing FROM ${table} WHERE ${column} IS NULL`);
      const { missing } = rows[0] as { missing: number };
      if (missing > 0) problems.push(`${table}.${column} is missing on ${missing} rows`);
    }
  }
  if (problems.length > 0) {
    throw new Error(`Cannot roll back to bigint ids and required columns: ${problems.join('; ')}.`);
  }
}

export async function down(knex: Knex): Promise<void> {
  await assertFitsOldSchema(knex);
  await dropMetricsViews(knex);
  await knex.raw(`ALTER TABLE web_sessions ALTER COLUMN converted SET DEFAULT false`);
  await knex.raw(`ALTER TABLE support_tickets ALTER COLUMN contacts SET DEFAULT 1`);
  for (const [table, columns] of Object.entries(OPTIONAL_COLUMNS)) {
    for (const column of columns) await knex.raw(`ALTER TABLE ${table} ALTER COLUMN ${column} SET NOT NULL`);
  }

  for (const { table, fk } of CUSTOMER_FACTS) {
    await knex.raw(`ALTER TABLE ${table} DROP CONSTRAINT ${fk}`);
    await knex.raw(`DROP INDEX ${table}_tenant_id_customer_id_index`);
  }
  for (const table of TABLES) {
    await knex.raw(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey`);
    for (const column of ID_COLUMNS[table]!) {
      await knex.raw(`ALTER TABLE ${table} DROP CONSTRAINT IF EXISTS ${table}_${column}_not_empty`);
      await knex.raw(`ALTER TABLE ${table} ALTER COLUMN ${column} TYPE bigint USING ${column}::bigint`);
    }
    await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${table}_pkey PRIMARY KEY (id)`);
  }
  await knex.raw(`ALTER TABLE customers ADD CONSTRAINT customers_tenant_id_id_unique UNIQUE (tenant_id, id)`);
  for (const { table, fk, onDelete } of CUSTOMER_FACTS) {
    await knex.raw(`CREATE INDEX ${table}_customer_id_index ON ${table} (customer_id)`);
    await knex.raw(`ALTER TABLE ${table} ADD CONSTRAINT ${fk}
      FOREIGN KEY (tenant_id, customer_id) REFERENCES customers (tenant_id, id) ON DELETE ${onDelete}`);
  }
}
