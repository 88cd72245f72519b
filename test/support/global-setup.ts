import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { startEmbeddedWarehouse, type EmbeddedWarehouse } from '../../src/warehouse/embedded.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A server URL whose user may create databases; each test file makes its own. */
    adminDatabaseUrl: string;
  }
}

let warehouse: EmbeddedWarehouse | undefined;

/** Tests use DATABASE_URL's server when set, else an embedded PostgreSQL of their own. */
export async function setup(project: TestProject): Promise<void> {
  if (process.env.DATABASE_URL) {
    project.provide('adminDatabaseUrl', process.env.DATABASE_URL);
    return;
  }
  warehouse = await startEmbeddedWarehouse({
    dataDir: path.resolve(process.env.TEST_DATA_DIR ?? '.data/test'),
    port: Number(process.env.TEST_PG_PORT ?? 54339),
    database: 'postgres',
  });
  project.provide('adminDatabaseUrl', warehouse.adminUrl);
}

export async function teardown(): Promise<void> {
  await warehouse?.stop();
}
