import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import { inject } from 'vitest';
import { connect } from '../../src/warehouse/connection.js';
import { withDatabase } from '../../src/warehouse/databases.js';
import { migrateLatest } from '../../src/warehouse/migrate.js';
import { dropRolesOf, rolePrefix } from '../../src/warehouse/roles.js';

export interface TestDatabase {
  url: string;
  db: Knex;
  drop(): Promise<void>;
}

/** A fresh, empty database on the test server, optionally migrated. */
export async function createTestDatabase(options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const adminUrl = inject('adminDatabaseUrl');
  const name = `test_${randomBytes(5).toString('hex')}`;
  const admin = connect(adminUrl, { min: 0, max: 1 });
  await admin.raw(`CREATE DATABASE ${name}`);
  const url = withDatabase(adminUrl, name);
  const db = connect(url);
  if (options.migrate !== false) await migrateLatest(db);
  return {
    url,
    db,
    drop: async () => {
      await db.destroy();
      await admin.raw(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      // Roles are the server's, not the database's: the migrated database's would pile up.
      await dropRolesOf(admin, rolePrefix(name));
      await admin.destroy();
    },
  };
}

/** Migrates the database at `url` (an embedded warehouse a test file started), then runs `then` on it. */
export async function migrateDatabase(url: string, then?: (db: Knex) => Promise<void>): Promise<void> {
  const db = connect(url);
  try {
    await migrateLatest(db);
    await then?.(db);
  } finally {
    await db.destroy();
  }
}
