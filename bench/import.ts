import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { z } from 'zod';
import { importFile } from '../src/import/index.js';
import { connect } from '../src/warehouse/connection.js';
import { createDatabaseIfMissing, withDatabase } from '../src/warehouse/databases.js';
import type { EmbeddedWarehouse } from '../src/warehouse/embedded.js';
import { migrateLatest } from '../src/warehouse/migrate.js';

export const importResultSchema = z.object({
  table: z.literal('customers'),
  rows: z.number().int().positive(),
  bytes: z.number().int().positive(),
  /** First import into an empty tenant: every row added. */
  load: z.object({ seconds: z.number().positive(), rowsPerSecond: z.number().positive(), added: z.number().int() }),
  /** The same file again: every row read, checked and compared, none written. */
  reimport: z.object({ seconds: z.number().positive(), rowsPerSecond: z.number().positive(), unchanged: z.number().int() }),
  /** A file in which every tenth customer changed plan: those updated, the rest unchanged. */
  changed: z.object({
    seconds: z.number().positive(),
    rowsPerSecond: z.number().positive(),
    updated: z.number().int(),
    unchanged: z.number().int(),
  }),
});
export type ImportResult = z.infer<typeof importResultSchema>;

const DATABASE = 'bench_import';
const TENANT = 'bench_import';
const PLANS = ['starter', 'growth', 'scale'];
const SEGMENTS = ['smb', 'mid_market', 'enterprise'];
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'NO', 'SE'];
const CHANNELS = ['organic', 'paid_search', 'referral', 'partner'];

/** Every `CHANGED_EVERY`th customer has moved to the next plan in the changed file. */
const CHANGED_EVERY = 10;

/** A customers export of `rows` rows in the contract's columns, written in chunks; `changed`: the changed file. */
async function writeCustomersFile(file: string, rows: number, changed = false): Promise<number> {
  const out = createWriteStream(file);
  out.write('id,signup_at,plan,segment,country,acquisition_channel\n');
  const start = Date.UTC(2020, 0, 1);
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const signup = new Date(start + (i % 2190) * 86_400_000 + (i % 86_400) * 1000).toISOString();
    chunk += `C-${i},${signup},${PLANS[(i + (changed && i % CHANGED_EVERY === 0 ? 1 : 0)) % 3]},${SEGMENTS[(i % 7) % 3]},${COUNTRIES[i % 6]},${CHANNELS[i % 4]}\n`;
    if (chunk.length > 256 * 1024) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await finished(out);
  return (await fs.stat(file)).size;
}

/**
 * Import rows/s for a customers file of `rows` rows: loaded into a new, empty database, then
 * imported again (nothing changes), then with every tenth customer's plan changed. The file is made in `dataDir` and removed.
 */
export async function measureImport(server: EmbeddedWarehouse, dataDir: string, rows: number): Promise<ImportResult> {
  // A new database each time: rows deleted by an earlier run would still weigh on its indexes.
  const admin = connect(server.adminUrl, { min: 0, max: 1 });
  try {
    await admin.raw(`DROP DATABASE IF EXISTS ${DATABASE} WITH (FORCE)`);
  } finally {
    await admin.destroy();
  }
  await createDatabaseIfMissing(server.adminUrl, DATABASE);
  const url = withDatabase(server.adminUrl, DATABASE);
  const db = connect(url);
  try {
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
  const file = path.join(dataDir, `import-customers-${rows}.csv`);
  try {
    const bytes = await writeCustomersFile(file, rows);
    const options = { url, tenant: TENANT, table: 'customers', file, tenantName: 'Import bench', businessModel: 'b2c' };
    const load = await importFile(options);
    const reimport = await importFile(options);
    await writeCustomersFile(file, rows, true);
    const changed = await importFile(options);
    return importResultSchema.parse({
      table: 'customers',
      rows,
      bytes,
      load: { seconds: load.seconds, rowsPerSecond: rows / load.seconds, added: load.added },
      reimport: { seconds: reimport.seconds, rowsPerSecond: rows / reimport.seconds, unchanged: reimport.unchanged },
      changed: { seconds: changed.seconds, rowsPerSecond: rows / changed.seconds, updated: changed.updated, unchanged: changed.unchanged },
    });
  } finally {
    await fs.rm(file, { force: true });
  }
}
