import { Command, InvalidArgumentError } from 'commander';
import { runCommand } from './run.js';

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('expected a positive whole number.');
  return n;
}

function integer(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('expected a whole number.');
  return n;
}

function utcDate(value: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw new InvalidArgumentError('expected a date as YYYY-MM-DD.');
  }
  return new Date(`${value}T00:00:00Z`);
}

const program = new Command('engagement')
  .description('Customer-engagement metric layer: warehouse, Cube semantic layer and KPI reports.')
  .showHelpAfterError()
  .exitOverride((error) => {
    // Bad flags exit 2 (usage), --help and --version exit 0.
    process.exit(error.exitCode === 0 ? 0 : 2);
  });

program
  .command('start')
  .description('Start the warehouse (embedded PostgreSQL unless DATABASE_URL is set), migrate, seed when empty, and stay up until Ctrl-C.')
  .action(() => runCommand(async () => (await import('./commands/start.js')).startCommand()));

program
  .command('seed')
  .description('Load generated customer-engagement data (deterministic for a given seed, size and end date).')
  .option('--customers <n>', 'customers across all tenants (default: SEED_CUSTOMERS or 20000)', positiveInteger)
  .option('--seed <n>', 'PRNG seed (default: SEED or 42)', integer)
  .option('--until <YYYY-MM-DD>', 'end of the history, exclusive (default: first day of this month)', utcDate)
  .option('--reset', 'delete all loaded data first', false)
  .action((flags) => runCommand(async () => (await import('./commands/seed.js')).seedCommand(flags)));

program
  .command('migrate')
  .description('Apply pending warehouse migrations (or revert them all with --down).')
  .option('--down', 'revert every migration, newest first', false)
  .action((flags) => runCommand(async () => (await import('./commands/migrate.js')).migrateCommand(flags)));

program
  .command('examples')
  .description("Load the worked-example tenants from DESIGN.md (NPS 40, CSAT 58.33, churn 10%, ...), replacing earlier copies.")
  .action(() => runCommand(async () => (await import('./commands/examples.js')).examplesCommand()));

await program.parseAsync();
