import { colour as pc } from '../colour.js';
import type { Knex } from 'knex';
import { loadConfig } from '../../config.js';
import { openMigratedWarehouse } from '../../warehouse/index.js';
import { seedWarehouse, type SeedResult } from '../../../seeds/index.js';
import { progressBar } from '../progress.js';

export interface SeedFlags {
  customers?: number;
  seed?: number;
  until?: Date;
  reset?: boolean;
}

/**
 * Today at 00:00 UTC: history runs up to yesterday, so the last full month is complete and
 * later events show that its cohorts were still active at its end.
 */
export function startOfToday(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
}

/** Seeds a warehouse with a progress bar, and prints rows per table and the load rate. */
export async function seedWithProgress(url: string, options: Required<SeedFlags>): Promise<SeedResult> {
  const bar = progressBar('Seeding');
  try {
    const result = await seedWarehouse(url, {
      ...options,
      onProgress: (p) => bar.update(p.totalRows, p.estimatedTotal, p.table),
      onPhase: (phase) => {
        bar.stop();
        console.log(`  ${phase}…`);
      },
    });
    bar.stop();
    return result;
  } catch (error) {
    bar.stop();
    throw error;
  }
}

export async function printTableCounts(db: Knex): Promise<void> {
  const tables = [
    'tenants',
    'customers',
    'subscriptions',
    'orders',
    'web_sessions',
    'events',
    'survey_responses',
    'support_tickets',
    'campaign_stats',
    'social_posts',
    'social_account_days',
    'reviews',
  ];
  const counts = await Promise.all(tables.map(async (t) => ({ t, n: Number((await db(t).count({ n: '*' }))[0]?.n ?? 0) })));
  for (const { t, n } of counts) console.log(`  ${t.padEnd(18)} ${n.toLocaleString('en-US').padStart(14)}`);
}

export function describeLoad(result: SeedResult): string {
  const rows = Object.values(result.tables).reduce((a, b) => a + b, 0);
  return (
    `${rows.toLocaleString('en-US')} rows in ${result.seconds.toFixed(1)} s ` +
    `(${Math.round(rows / Math.max(result.seconds, 1e-9)).toLocaleString('en-US')} rows/s)`
  );
}

export async function seedCommand(flags: SeedFlags): Promise<void> {
  const config = loadConfig();
  const session = await openMigratedWarehouse(config);
  try {
    const result = await seedWithProgress(session.warehouse.url, {
      customers: flags.customers ?? config.SEED_CUSTOMERS,
      seed: flags.seed ?? config.SEED,
      until: flags.until ?? startOfToday(),
      reset: flags.reset ?? false,
    });
    if (result.skipped) {
      console.log(pc.yellow('The warehouse already has data; nothing loaded. Use --reset to start over.'));
    } else {
      console.log(pc.green(`Loaded ${describeLoad(result)}.`));
    }
    await printTableCounts(session.db);
  } finally {
    await session.close();
  }
}
