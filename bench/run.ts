/**
 * npm run bench: times the executive board's KPIs at several warehouse sizes (hand-written
 * SQL, Cube cold, Cube warm, Cube from rollups, the `metrics` SQL functions), prints a table and
 * writes JSON.
 */
import fs from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { Command, InvalidArgumentError, Option } from 'commander';
import pg from 'pg';
import { z } from 'zod';
import { progressBar } from '../src/cli/progress.js';
import { guardProcess } from '../src/runtime/crash-guard.js';
import { dashboardQueries } from '@engagement/contract/node';
import type { PanelQuery } from '@engagement/contract';
import { measureImport } from './import.js';
import { measureBoardsOfSize, measureSize } from './measure.js';
import { compareWithLifetimes } from './lifetimes.js';
import { measurePredict } from './predict.js';
import { renderReport } from './report.js';
import { benchResultSchema, type BenchResult, type SizeResult } from './results.js';
import { prepareWarehouse, startBenchServer } from './warehouse.js';

const optionsSchema = z.object({
  sizes: z.array(z.number().int().min(100, 'sizes must be at least 100 customers')).min(1),
  runs: z.number().int().min(1, 'runs must be at least 1'),
  seed: z.number().int(),
  reseed: z.boolean(),
  out: z.string().min(1),
  dataDir: z.string().min(1),
  port: z.number().int().min(1).max(65535),
  importRows: z.number().int().min(1, 'import rows must be at least 1'),
  predictCustomers: z.number().int().min(100, 'predict customers must be at least 100'),
  viewers: z.array(z.number().int().min(1, 'each viewer count must be at least 1')).min(1),
  loadSeconds: z.number().int().min(1, 'load seconds must be at least 1'),
  lifetimesPython: z.string().min(1),
  /**
   * Run only one part: the board at every size, only the provisioned boards from their rollups at
   * every size, the import, or predict (with lifetimes' fit).
   */
  only: z.enum(['board', 'boards', 'import', 'predict']).optional(),
  /** The tenant whose boards are timed; the one with the most customers when absent. */
  tenant: z.string().min(1).optional(),
  /** The provisioned dashboards to time from their rollups, by file name without `.json`; all when absent. */
  dashboards: z.array(z.string().min(1)).min(1).optional(),
});
type BenchOptions = z.infer<typeof optionsSchema>;

const integer = (name: string) => (value: string) => {
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isInteger(n)) throw new InvalidArgumentError(`${name} must be a whole number, got "${value}".`);
  return n;
};
const countList = (name: string) => (value: string) => value.split(',').map((part) => integer(name)(part.trim()));
const sizeList = countList('each size');

/** The provisioned boards' queries, of the named dashboards only if any are named. */
function provisionedBoards(range: { from: Date; to: Date }, names: readonly string[] | undefined): PanelQuery[] {
  const all = dashboardQueries(range);
  if (!names) return all;
  const known = [...new Set(all.map((panel) => panel.dashboard.replace(/\.json$/, '')))];
  const unknown = names.filter((name) => !known.includes(name));
  if (unknown.length) throw new Error(`--dashboards: no provisioned dashboard ${unknown.join(', ')} (known: ${known.join(', ')})`);
  return dashboardQueries(
    range,
    names.map((name) => `${name}.json`),
  );
}

/** The data ends where the current month starts, so a warehouse stays reusable all month. */
function startOfMonth(now = new Date()): Date {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
}

async function machine(url: string): Promise<BenchResult['machine']> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const { rows } = await client.query<{ server_version: string }>('SHOW server_version');
  await client.end();
  const require = createRequire(import.meta.url);
  const cube = (require('@cubejs-backend/server-core/package.json') as { version: string }).version;
  return {
    cores: os.cpus().length,
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.versions.node,
    postgres: `PostgreSQL ${rows[0]?.server_version ?? '?'}`,
    cube,
  };
}

export async function runBench(options: BenchOptions): Promise<BenchResult> {
  const startedAt = new Date();
  const until = startOfMonth(startedAt);
  // The board as it opens on the first day after the data: the last 12 months, all on "All".
  const range = { from: new Date(until.getTime() - 365 * 86_400_000), to: until };
  const board = dashboardQueries(range, ['executive-overview.json']);
  const boards = provisionedBoards(range, options.dashboards);
  const boardsOnly = options.only === 'boards';
  const stepsPerSize = boardsOnly
    ? 1 + new Set(boards.map((p) => p.dashboard)).size
    : 3 +
      new Set(board.map((p) => JSON.stringify(p.query))).size * 5 +
      3 +
      new Set(boards.map((p) => p.dashboard)).size +
      1 +
      options.viewers.length;
  const sizesMeasured = options.only === undefined || options.only === 'board' || boardsOnly ? options.sizes : [];
  const importing = options.only === undefined || options.only === 'import';
  const predicting = options.only === undefined || options.only === 'predict';
  const progress = progressBar('bench', 'steps');
  let done = 0;
  const totalSteps = sizesMeasured.length * stepsPerSize + (importing ? 1 : 0) + (predicting ? 2 : 0);
  const step = (label: string) => progress.update(done++, totalSteps, label);

  const server = await startBenchServer(options.dataDir, options.port);
  const sizes: SizeResult[] = [];
  try {
    for (const customers of sizesMeasured) {
      const prefix = `${customers.toLocaleString('en-US')} customers`;
      step(`${prefix}: warehouse`);
      const warehouse = await prepareWarehouse(server, options.dataDir, {
        customers,
        seed: options.seed,
        until,
        reseed: options.reseed,
        onProgress: (p) => progress.update(done, totalSteps, `${prefix}: seeding ${p.table} (${p.totalRows.toLocaleString('en-US')} rows)`),
        onPhase: (phase) => progress.update(done, totalSteps, `${prefix}: ${phase}`),
      });
      const measure = boardsOnly ? measureBoardsOfSize : measureSize;
      const measured = await measure(customers, {
        url: warehouse.url,
        runs: options.runs,
        board,
        boards,
        now: startedAt,
        load: { viewers: options.viewers, seconds: options.loadSeconds },
        ...(options.tenant ? { tenant: options.tenant } : {}),
        step: (label) => step(`${prefix}: ${label}`),
      });
      sizes.push({ ...measured, seeding: warehouse.seeding });
    }
    let imported: BenchResult['import'];
    if (importing) {
      step(`import: ${options.importRows.toLocaleString('en-US')} customers from CSV, then from Parquet`);
      imported = await measureImport(server, options.dataDir, options.importRows);
    }
    let predict: BenchResult['predict'];
    let lifetimes: BenchResult['lifetimes'];
    if (predicting) {
      step(`predict: ${options.predictCustomers.toLocaleString('en-US')} customers`);
      predict = await measurePredict(server, options.predictCustomers, until, options.seed);
      step("predict: the same simulated customers fitted by Python's lifetimes");
      lifetimes = await compareWithLifetimes(options.lifetimesPython, path.join(options.dataDir, 'lifetimes'));
    }
    progress.update(done, done, 'done');
    progress.stop();
    return benchResultSchema.parse({
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      machine: await machine(server.adminUrl),
      options: {
        sizes: sizesMeasured,
        runs: options.runs,
        seed: options.seed,
        until: until.toISOString(),
        importRows: options.importRows,
        predictCustomers: options.predictCustomers,
        viewers: options.viewers,
        loadSeconds: options.loadSeconds,
      },
      sizes,
      import: imported,
      predict,
      lifetimes,
    });
  } finally {
    progress.stop();
    await server.stop();
  }
}

async function main(): Promise<void> {
  const program = new Command('bench')
    .description(
      'Time the executive board at several warehouse sizes: hand-written SQL, Cube cold, Cube warm, Cube from rollups, the metrics SQL functions.',
    )
    .option('--sizes <list>', 'customers per warehouse, comma-separated', sizeList, [10_000, 100_000, 1_000_000])
    .option('--runs <n>', 'measured runs per figure, after one warm-up', integer('runs'), 5)
    .option('--seed <n>', 'PRNG seed of the generated data', integer('seed'), 42)
    .option('--reseed', 'seed every size again (and measure it) even if its warehouse exists', false)
    .option('--out <file>', 'where to write the JSON results', 'bench/results/latest.json')
    .option('--data-dir <dir>', "the benchmark's PostgreSQL data directory (kept between runs)", '.data/bench')
    .option('--import-rows <n>', 'rows of the customers file (CSV, then Parquet) whose import is timed', integer('import rows'), 1_000_000)
    .option('--predict-customers <n>', 'customers of the shop whose npm run predict is timed', integer('predict customers'), 100_000)
    .option('--viewers <list>', 'viewer counts of the load test, comma-separated', countList('each viewer count'), [1, 10, 50, 100])
    .option('--load-seconds <n>', 'how long each load-test level runs', integer('load seconds'), 20)
    .option('--lifetimes-python <path>', 'a Python with lifetimes installed, for the comparison', '.data/lifetimes-venv/bin/python')
    .addOption(
      new Option(
        '--only <part>',
        'run one part only: the board at every size, only the provisioned boards from their rollups (no executive KPI comparison, no load test), the import, or predict',
      ).choices(['board', 'boards', 'import', 'predict']),
    )
    .option('--tenant <id>', 'the tenant whose boards are timed (default: the one with the most customers)')
    .option(
      '--dashboards <list>',
      'provisioned dashboards to time from their rollups, comma-separated file names without .json (default: all)',
      (value: string) => value.split(',').map((name) => name.trim()),
    )
    .option('--port <n>', "the benchmark's PostgreSQL port", integer('port'), Number(process.env.BENCH_PG_PORT ?? 54349))
    .addHelpText(
      'after',
      '\nA warehouse per size is seeded once and reused (its load rate is kept with it); 1,000,000 customers takes a few minutes to seed.',
    )
    .parse();
  const parsed = optionsSchema.safeParse(program.opts());
  if (!parsed.success) {
    console.error(`bench: ${parsed.error.issues.map((issue) => `--${String(issue.path[0])}: ${issue.message}`).join('; ')}`);
    process.exit(2);
  }
  const options = { ...parsed.data, dataDir: path.resolve(parsed.data.dataDir) };
  const result = await runBench(options);
  await fs.mkdir(path.dirname(options.out), { recursive: true });
  await fs.writeFile(options.out, `${JSON.stringify(result, null, 2)}\n`);
  const report = renderReport(result);
  await fs.writeFile(options.out.replace(/\.json$/, '.md'), `${report}\n`);
  console.log(`\n${report}\n\nWrote ${options.out} and ${options.out.replace(/\.json$/, '.md')}.`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  // As for the other commands: a crash stops the bench's PostgreSQL; signals already do (src/runtime/shutdown.ts).
  guardProcess();
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
