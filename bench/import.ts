import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import fs from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { parquetWriteFile } from 'hyparquet-writer';
import { z } from 'zod';
import { importFile } from '../src/import/index.js';
import { connect } from '../src/warehouse/connection.js';
import { createDatabaseIfMissing, withDatabase } from '../src/warehouse/databases.js';
import type { EmbeddedWarehouse } from '../src/warehouse/embedded.js';
import { migrateLatest } from '../src/warehouse/migrate.js';

/** One file's three imports. */
export const importRunsSchema = z.object({
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

export const importResultSchema = importRunsSchema.extend({
  table: z.literal('customers'),
  rows: z.number().int().positive(),
  /** The same customers as a Parquet file (Snappy, row groups of PARQUET_ROW_GROUP rows), into a database of its own. */
  parquet: importRunsSchema.extend({ rowGroups: z.number().int().positive() }),
});
export type ImportResult = z.infer<typeof importResultSchema>;
export type ImportRuns = z.infer<typeof importRunsSchema>;

const DATABASE = 'bench_import';
const TENANT = 'bench_import';
const PLANS = ['starter', 'growth', 'scale'];
const SEGMENTS = ['smb', 'mid_market', 'enterprise'];
const COUNTRIES = ['US', 'GB', 'DE', 'FR', 'NO', 'SE'];
const CHANNELS = ['organic', 'paid_search', 'referral', 'partner'];

/** Every `CHANGED_EVERY`th customer has moved to the next plan in the changed file. */
const CHANGED_EVERY = 10;

/** Rows per row group of the Parquet file: DuckDB's default; pyarrow's is 1Mi rows, Spark's ~128 MB. */
const PARQUET_ROW_GROUP = 122_880;

/** The `i`th customer of the file, the same in both formats. */
function customer(i: number, changed: boolean) {
  return {
    id: `C-${i}`,
    signupMs: Date.UTC(2020, 0, 1) + (i % 2190) * 86_400_000 + (i % 86_400) * 1000,
    plan: PLANS[(i + (changed && i % CHANGED_EVERY === 0 ? 1 : 0)) % 3]!,
    segment: SEGMENTS[(i % 7) % 3]!,
    country: COUNTRIES[i % 6]!,
    channel: CHANNELS[i % 4]!,
  };
}

/** A customers export of `rows` rows in the contract's columns, written in chunks; `changed`: the changed file. */
async function writeCustomersFile(file: string, rows: number, changed = false): Promise<number> {
  const out = createWriteStream(file);
  out.write('id,signup_at,plan,segment,country,acquisition_channel\n');
  let chunk = '';
  for (let i = 0; i < rows; i++) {
    const c = customer(i, changed);
    chunk += `${c.id},${new Date(c.signupMs).toISOString()},${c.plan},${c.segment},${c.country},${c.channel}\n`;
    if (chunk.length > 256 * 1024) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await finished(out);
  return (await fs.stat(file)).size;
}

/** The same customers as a Parquet file, as pyarrow writes them: strings, and signup_at as TIMESTAMP(MICROS, UTC). */
async function writeCustomersParquet(file: string, rows: number, changed = false): Promise<number> {
  const columns = { id: [] as string[], signup_at: [] as bigint[], plan: [] as string[], segment: [] as string[], country: [] as string[] };
  const channels: string[] = [];
  for (let i = 0; i < rows; i++) {
    const c = customer(i, changed);
    columns.id.push(c.id);
    columns.signup_at.push(BigInt(c.signupMs) * 1000n);
    columns.plan.push(c.plan);
    columns.segment.push(c.segment);
    columns.country.push(c.country);
    channels.push(c.channel);
  }
  const text = { type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' } as const;
  const timestamp = {
    type: 'INT64',
    repetition_type: 'REQUIRED',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' },
  } as const;
  parquetWriteFile({
    filename: file,
    schema: [
      { name: 'root', num_children: 6 },
      { ...text, name: 'id', repetition_type: 'REQUIRED' },
      { ...timestamp, name: 'signup_at' },
      { ...text, name: 'plan' },
      { ...text, name: 'segment' },
      { ...text, name: 'country' },
      { ...text, name: 'acquisition_channel' },
    ],
    columnData: [...Object.entries(columns).map(([name, data]) => ({ name, data })), { name: 'acquisition_channel', data: channels }],
    rowGroupSize: PARQUET_ROW_GROUP,
  });
  return (await fs.stat(file)).size;
}

/** A new, migrated database: rows deleted by an earlier run would still weigh on its indexes. */
async function freshDatabase(server: EmbeddedWarehouse): Promise<string> {
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
  return url;
}

/** Loads `file` into an empty tenant of a new database, imports it again, then its changed version. */
async function timeImports(
  server: EmbeddedWarehouse,
  file: string,
  rows: number,
  write: (changed: boolean) => Promise<number>,
): Promise<ImportRuns> {
  const url = await freshDatabase(server);
  const bytes = await write(false);
  const options = { url, tenant: TENANT, table: 'customers', file, tenantName: 'Import bench', businessModel: 'b2c' };
  const load = await importFile(options);
  const reimport = await importFile(options);
  await write(true);
  const changed = await importFile(options);
  return {
    bytes,
    load: { seconds: load.seconds, rowsPerSecond: rows / load.seconds, added: load.added },
    reimport: { seconds: reimport.seconds, rowsPerSecond: rows / reimport.seconds, unchanged: reimport.unchanged },
    changed: { seconds: changed.seconds, rowsPerSecond: rows / changed.seconds, updated: changed.updated, unchanged: changed.unchanged },
  };
}

/**
 * Import rows/s for a customers file of `rows` rows, as CSV and as Parquet: each loaded into a
 * new, empty database, then imported again (nothing changes), then with every tenth customer's
 * plan changed. The files are made in `dataDir` and removed.
 */
export async function measureImport(server: EmbeddedWarehouse, dataDir: string, rows: number): Promise<ImportResult> {
  const csv = path.join(dataDir, `import-customers-${rows}.csv`);
  const parquet = path.join(dataDir, `import-customers-${rows}.parquet`);
  try {
    const csvRuns = await timeImports(server, csv, rows, (changed) => writeCustomersFile(csv, rows, changed));
    await fs.rm(csv, { force: true });
    const parquetRuns = await timeImports(server, parquet, rows, (changed) => writeCustomersParquet(parquet, rows, changed));
    return importResultSchema.parse({
      table: 'customers',
      rows,
      ...csvRuns,
      parquet: { ...parquetRuns, rowGroups: Math.ceil(rows / PARQUET_ROW_GROUP) },
    });
  } finally {
    await fs.rm(csv, { force: true });
    await fs.rm(parquet, { force: true });
  }
}
