import pc from 'picocolors';
import { loadConfig } from '../../config.js';
import { openMigratedWarehouse } from '../../warehouse/index.js';
import { untilSignalled } from '../run.js';
import { describeLoad, printTableCounts, seedWithProgress, startOfThisMonth } from './seed.js';

export async function startCommand(): Promise<void> {
  const config = loadConfig();
  const started = Date.now();
  const session = await openMigratedWarehouse(config);
  try {
    const where = session.warehouse.kind === 'embedded' ? `embedded PostgreSQL on port ${config.PG_PORT} (${config.dataDir})` : 'DATABASE_URL';
    console.log(`Warehouse: ${where}${session.migrated.length ? `, ${session.migrated.length} migration(s) applied` : ''}.`);

    const result = await seedWithProgress(session.warehouse.url, {
      customers: config.SEED_CUSTOMERS,
      seed: config.SEED,
      until: startOfThisMonth(),
      reset: false,
    });
    console.log(result.skipped ? 'Seed data already loaded.' : `Seeded ${describeLoad(result)}.`);
    await printTableCounts(session.db);

    console.log(pc.green(`Ready in ${((Date.now() - started) / 1000).toFixed(1)} s. Press Ctrl-C to stop.`));
    const signal = await untilSignalled();
    console.log(`\n${signal}: shutting down.`);
  } finally {
    await session.close();
  }
}
