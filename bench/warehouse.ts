import fs from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import { seedWarehouse, type SeedProgress } from '../seeds/index.js';
import { connect } from '../src/warehouse/connection.js';
import { createDatabaseIfMissing, withDatabase } from '../src/warehouse/databases.js';
import { startEmbeddedWarehouse, type EmbeddedWarehouse } from '../src/warehouse/embedded.js';
import { migrateLatest } from '../src/warehouse/migrate.js';

/** How a size's warehouse was loaded: measured when it was seeded, kept for later runs. */
export const seedRecordSchema = z.object({
  customers: z.number().int().positive(),
  rows: z.number().int().nonnegative(),
  seconds: z.number().positive(),
  rowsPerSecond: z.number().positive(),
  measuredAt: z.string(),
});
export type SeedRecord = z.infer<typeof seedRecordSchema>;

export interface BenchWarehouse {
  url: string;
  /** Seeding measured in this run (fresh) or read back from the run that seeded it. */
  seeding: (SeedRecord & { fresh: boolean }) | null;
}

export const databaseFor = (customers: number) => `bench_${customers}`;

/** One embedded PostgreSQL for every size, on its own data directory, kept between runs. */
export async function startBenchServer(dataDir: string, port: number): Promise<EmbeddedWarehouse> {
  return startEmbeddedWarehouse({ dataDir, port, database: 'postgres' });
}

/**
 * The warehouse for one size: created, migrated, and seeded unless it already holds data
 * (seeding 1M customers takes minutes, so a size is seeded once unless `reseed`).
 */
export async function prepareWarehouse(
  server: EmbeddedWarehouse,
  dataDir: string,
  options: {
    customers: number;
    seed: number;
    until: Date;
    reseed: boolean;
    onProgress: (progress: SeedProgress) => void;
    onPhase: (phase: string) => void;
  },
): Promise<BenchWarehouse> {
  const database = databaseFor(options.customers);
  await createDatabaseIfMissing(server.adminUrl, database);
  const url = withDatabase(server.adminUrl, database);
  const db = connect(url);
  try {
    await migrateLatest(db);
  } finally {
    await db.destroy();
  }
  const recordFile = path.join(dataDir, `seed-${options.customers}.json`);
  const result = await seedWarehouse(url, {
    customers: options.customers,
    seed: options.seed,
    until: options.until,
    reset: options.reseed,
    onProgress: options.onProgress,
    onPhase: options.onPhase,
  });
  if (!result.skipped) {
    const rows = Object.values(result.tables).reduce((sum, n) => sum + n, 0);
    const record: SeedRecord = {
      customers: options.customers,
      rows,
      seconds: result.seconds,
      rowsPerSecond: rows / result.seconds,
      measuredAt: new Date().toISOString(),
    };
    await fs.writeFile(recordFile, `${JSON.stringify(record, null, 2)}\n`);
    return { url, seeding: { ...record, fresh: true } };
  }
  const saved = await fs.readFile(recordFile, 'utf8').then(
    (text) => seedRecordSchema.safeParse(JSON.parse(text)),
    () => null,
  );
  return { url, seeding: saved?.success ? { ...saved.data, fresh: false } : null };
}
