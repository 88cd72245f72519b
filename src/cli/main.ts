import { Command, InvalidArgumentError, Option } from 'commander';
import { LIFETIME_PATTERN } from '../config.js';
import { IMPORT_FORMATS } from '../import/format.js';
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

function month(value: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(value)) throw new InvalidArgumentError('expected a month as YYYY-MM.');
  return value;
}

function lifetime(value: string): string {
  if (value === 'never')
    throw new InvalidArgumentError('tokens must expire: give a lifetime up to TOKEN_MAX_LIFETIME (default 365d), e.g. 30d.');
  if (!LIFETIME_PATTERN.test(value)) throw new InvalidArgumentError('expected a whole number and a unit (s, m, h, d, w, y), e.g. 30d.');
  return value;
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
  .option('--until <YYYY-MM-DD>', 'end of the history, exclusive (default: today, UTC)', utcDate)
  .option('--reset', 'delete all loaded data first', false)
  .action((flags) => runCommand(async () => (await import('./commands/seed.js')).seedCommand(flags)));

program
  .command('migrate')
  .description('Apply pending warehouse migrations (or revert them all with --down).')
  .option('--down', 'revert every migration, newest first', false)
  .action((flags) => runCommand(async () => (await import('./commands/migrate.js')).migrateCommand(flags)));

program
  .command('examples')
  .description('Load the worked-example tenants from DESIGN.md (NPS 40, CSAT 58.33, churn 10%, ...), replacing earlier copies.')
  .action(() => runCommand(async () => (await import('./commands/examples.js')).examplesCommand()));

program
  .command('report')
  .description('Print each KPI of a month against its benchmark band, for one tenant.')
  .option('--tenant <id>', 'tenant to report on (default: the first generated tenant)')
  .option('--month <YYYY-MM>', 'month to report (default: the last full month)', month)
  .option('--json', 'print JSON instead of a table', false)
  .action((flags) => runCommand(async () => (await import('./commands/report.js')).reportCommand(flags)));

program
  .command('token')
  .description('Print a Cube API token (JWT) for a tenant, e.g. for a Grafana data source.')
  .option('--tenant <id>', 'tenant the token is limited to')
  .option('--admin', 'a token that sees every tenant', false)
  .option('--expires <span>', 'lifetime, e.g. 12h or 30d, at most TOKEN_MAX_LIFETIME', lifetime, '365d')
  .action((flags) => runCommand(async () => (await import('./commands/token.js')).tokenCommand(flags)));

program
  .command('import')
  .description(
    'Import a CSV or Parquet file into one warehouse table for one tenant. Every row is checked first; a file with problems is refused ' +
      '(exit 1, FILE:LINE: column: what is wrong; for Parquet FILE:row N: …) and nothing is written. Otherwise one transaction adds new rows, updates changed ones ' +
      'and leaves identical ones, so importing a file again changes nothing.',
  )
  .argument(
    '<file>',
    "CSV file (UTF-8) with a header row of the table's column names, or of the names a --mapping maps; or a Parquet file (.parquet) with columns of those names",
  )
  .requiredOption('--tenant <id>', 'tenant the rows belong to')
  .requiredOption('--table <name>', 'warehouse table, e.g. customers, subscriptions, orders, survey_responses (docs/warehouse.md)')
  .addOption(
    new Option('--format <format>', 'the file is CSV or Parquet (default: Parquet if its name ends in .parquet, else CSV)').choices(
      IMPORT_FORMATS,
    ),
  )
  .option(
    '--mapping <file.yml>',
    "YAML file mapping the source's columns to the table's (rename, constant, value map, date format, time zone)",
  )
  .option('--dry-run', 'check the file and count what would change, then write nothing', false)
  .option('--tenant-name <name>', 'create the tenant on its first import with this display name (or rename it)')
  .option('--business-model <model>', 'with --tenant-name: b2b or b2c')
  .option('--through <YYYY-MM-DD>', "the tenant's data is complete through this day (its observation end)", utcDate)
  .action((file, flags) => runCommand(async () => (await import('./commands/import.js')).importCommand(file, flags)));

program
  .command('predict')
  .description(
    'Fit BG/NBD + Gamma-Gamma (purchases) and sBG (subscription cohorts) per tenant and write predicted purchases, ' +
      'probability alive, CLV and retention forecasts to the warehouse, one transaction per tenant, replacing its previous ones.',
  )
  .option('--tenant <id>', 'only this tenant (default: every tenant)')
  .option('--as-of <YYYY-MM-DD>', "use history through this day (default: each tenant's data-through day, its observation end)", utcDate)
  .action((flags) => runCommand(async () => (await import('./commands/predict.js')).predictCommand(flags)));

program
  .command('metrics')
  .description(
    'Publish the `metrics` schema: PostgreSQL functions (any range and granularity) and monthly views of the KPIs, with SQL generated by Cube.',
  )
  .action(() => runCommand(async () => (await import('./commands/metrics.js')).metricsCommand()));

program
  .command('warm')
  .description("Build the rollups every provisioned board reads, through a running Cube, so no board's first open waits.")
  .option('--tenant <id>', 'only this tenant (default: every tenant)')
  .option('--cube-url <url>', 'the Cube to warm (default: http://127.0.0.1:CUBE_PORT)')
  .option('--wait <seconds>', 'wait this long for that Cube to answer', positiveInteger, 120)
  .action((flags) => runCommand(async () => (await import('./commands/warm.js')).warmCommand(flags)));

await program.parseAsync();
