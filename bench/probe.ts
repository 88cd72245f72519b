/**
 * npm run probe: a tenant-isolation probe. Seeds a few tenants into a warehouse of its own, starts
 * Cube over it (and oracle Cubes over copies holding one tenant's rows each), sends thousands of
 * random and hostile queries through every route with tenant tokens, and reports any answer that
 * holds another tenant's data, any 5xx, hang or malformed answer. Exit 0 clean, 1 findings, 2 usage.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { z } from 'zod';
import { progressBar } from '../src/cli/progress.js';
import { DEFAULT_WAREHOUSE_LIMITS } from '../src/cube/warehouse-limits.js';
import { startEmbeddedWarehouse, type EmbeddedWarehouse } from '../src/warehouse/embedded.js';
import { isClean, probeJson, renderProbeReport } from './probe/report.js';
import { runProbe, type ProbeRun } from './probe/run.js';
import { startProbeStack } from './probe/stack.js';

const optionsSchema = z.object({
  queries: z.number().int().min(1, 'queries must be at least 1').max(1_000_000, 'queries must be at most 1,000,000'),
  seed: z.number().int(),
  concurrency: z.number().int().min(1, 'concurrency must be at least 1').max(64, 'concurrency must be at most 64'),
  customers: z
    .number()
    .int()
    .min(30, 'customers must be at least 30 (some for each tenant)')
    .max(20_000, 'customers must be at most 20,000: the oracle compares whole answers'),
  timeout: z.number().min(1, 'timeout must be at least 1 second'),
  maxMinutes: z.number().min(1, 'max-minutes must be at least 1'),
  case: z.array(z.number().int().min(0, 'case must be 0 or more')).optional(),
  json: z.boolean(),
  out: z.string(),
  dataDir: z.string().min(1),
  pgPort: z.number().int().min(1).max(65535, 'pg-port must be a TCP port'),
  cubePort: z.number().int().min(0).max(65535, 'cube-port must be a TCP port (0: any free one)'),
  databaseUrl: z.url({ protocol: /^postgres(ql)?$/, error: 'database-url must be a postgres:// URL' }).optional(),
});
export type ProbeCommandOptions = z.infer<typeof optionsSchema>;

const number = (name: string) => (value: string) => {
  const n = Number(value.replaceAll('_', ''));
  if (!Number.isFinite(n)) throw new InvalidArgumentError(`${name} must be a number, got "${value}".`);
  return n;
};
const cases = (value: string, previous: number[] = []) => [...previous, ...value.split(',').map((part) => number('case')(part.trim()))];

const MOMENT_NOISE = /^Moment Timezone has no data for /;

/**
 * Cube runs in this process: it prints a start-up warning with console.log (which would corrupt
 * --json), and Cube 0.35.81 passes every unknown timezone to moment-timezone, which logs each to
 * console.error (the probe sends them on purpose). Both go to stderr, the second not at all.
 */
function quietCube(): () => void {
  const { log, error } = console;
  console.log = (...args: unknown[]) => error(...args);
  console.error = (...args: unknown[]) => {
    if (!(typeof args[0] === 'string' && MOMENT_NOISE.test(args[0]))) error(...args);
  };
  return () => {
    console.log = log;
    console.error = error;
  };
}

/**
 * The probe servers' statement timeout, short enough that a statement Cube stops comes back as
 * its 400 before the probe calls it a hang: in its tenant's queue (CUBE_TENANT_CONCURRENCY at a
 * time) a query waits behind the other queries in flight for at most ⌈(concurrency − 1) /
 * CUBE_TENANT_CONCURRENCY⌉ statement times, then runs for one.
 */
export function statementTimeoutMs(timeoutSeconds: number, concurrency: number): number {
  const waits = Math.ceil((concurrency - 1) / DEFAULT_WAREHOUSE_LIMITS.tenantConcurrency);
  return Math.floor((timeoutSeconds * 1000) / (waits + 1));
}

export async function probeCommand(options: ProbeCommandOptions): Promise<ProbeRun> {
  const restore = quietCube();
  let embedded: EmbeddedWarehouse | undefined;
  try {
    if (!options.databaseUrl)
      embedded = await startEmbeddedWarehouse({ dataDir: path.resolve(options.dataDir), port: options.pgPort, database: 'postgres' });
    const apiSecret = randomBytes(24).toString('hex');
    const stack = await startProbeStack({
      adminUrl: options.databaseUrl ?? embedded!.adminUrl,
      prefix: 'probe',
      apiSecret,
      customers: options.customers,
      seed: options.seed,
      cubePort: options.cubePort,
      statementTimeoutMs: statementTimeoutMs(options.timeout, options.concurrency),
    });
    const progress = progressBar('probe', 'queries');
    try {
      return await runProbe(stack.targets, {
        apiSecret,
        tenants: stack.tenants,
        queries: options.queries,
        seed: options.seed,
        concurrency: options.concurrency,
        timeoutMs: options.timeout * 1000,
        maxMs: options.maxMinutes * 60_000,
        ...(options.case ? { only: options.case } : {}),
        onProgress: (done, total, findings) => progress.update(done, total, `${findings.toLocaleString('en-US')} findings`),
      });
    } finally {
      progress.stop();
      await stack.close();
    }
  } finally {
    await embedded?.stop();
    restore();
  }
}

async function main(): Promise<void> {
  const program = new Command('probe')
    .description(
      'Send random and hostile queries through every Cube route with tenant tokens; report foreign rows, 5xx, hangs and malformed answers.',
    )
    .option('--queries <n>', 'queries to generate; each goes through every route', number('queries'), 10_000)
    .option('--seed <n>', 'seed of the generated data and queries (the same seed gives the same queries)', number('seed'), 1)
    .option('--concurrency <n>', 'queries in flight at once', number('concurrency'), 4)
    .option('--customers <n>', 'customers across the sample tenants', number('customers'), 300)
    .option('--timeout <seconds>', 'longest wait for one answer before it counts as a hang', number('timeout'), 30)
    .option('--max-minutes <n>', 'stop starting queries after this long (the run then fails as incomplete)', number('max-minutes'), 120)
    .option('--case <n>', 'run only this case (comma-separated or repeated), to replay a finding', cases)
    .option('--json', 'print the JSON result instead of the table', false)
    .option('--out <file>', 'also write the JSON result here ("" for nowhere)', 'bench/results/probe.json')
    .option('--data-dir <dir>', "the embedded PostgreSQL's data directory", '.data/probe')
    .option('--pg-port <n>', "the embedded PostgreSQL's port", number('pg-port'), 54359)
    .option('--cube-port <n>', 'port of the Cube under test (0: any free one)', number('cube-port'), 0)
    .option('--database-url <url>', 'use this PostgreSQL server (its user must create databases) instead of an embedded one')
    .addHelpText(
      'after',
      '\nExit status: 0 no findings, 1 findings (or stopped at --max-minutes), 2 bad usage.\nDatabases named probe_* on the server are replaced and dropped.',
    )
    .exitOverride((error: CommanderError) => process.exit(error.exitCode === 0 ? 0 : 2))
    .parse();
  const parsed = optionsSchema.safeParse(program.opts());
  if (!parsed.success) {
    console.error(
      `probe: ${parsed.error.issues.map((issue) => `--${String(issue.path[0]).replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}: ${issue.message}`).join('; ')}`,
    );
    process.exit(2);
  }
  const run = await probeCommand(parsed.data);
  const json = probeJson(run);
  if (parsed.data.out) {
    await fs.mkdir(path.dirname(parsed.data.out), { recursive: true });
    await fs.writeFile(parsed.data.out, `${JSON.stringify(json, null, 2)}\n`);
  }
  console.log(
    parsed.data.json
      ? JSON.stringify(json, null, 2)
      : `\n${renderProbeReport(run)}${parsed.data.out ? `\n\nWrote ${parsed.data.out}.` : ''}`,
  );
  process.exit(isClean(run) ? 0 : 1);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
  });
}
