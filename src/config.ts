import path from 'node:path';
import { z } from 'zod';
import { CUBE_LONG_POLL_SECONDS, DEFAULT_WAREHOUSE_LIMITS, type WarehouseLimits } from './cube/warehouse-limits.js';

const port = z.coerce
  .number({ error: 'expected a TCP port number' })
  .int('expected a whole number')
  .min(1, 'expected a port from 1 to 65535')
  .max(65535, 'expected a port from 1 to 65535');

const postgresUrl = z
  .url({ protocol: /^postgres(ql)?$/, error: 'expected a postgres:// or postgresql:// URL' });

/** Every environment variable the runtime reads, with its default. */
export const configSchema = z.object({
  DATABASE_URL: postgresUrl.optional(),
  PG_PORT: port.default(54329),
  DATA_DIR: z.string().min(1, 'expected a directory path').default('.data'),
  SEED: z.coerce.number({ error: 'expected an integer' }).int('expected a whole number').default(42),
  SEED_CUSTOMERS: z.coerce
    .number({ error: 'expected a number of customers' })
    .int('expected a whole number')
    .min(100, 'expected at least 100 customers')
    .max(10_000_000, 'expected at most 10,000,000 customers')
    .default(20_000),
  CUBE_PORT: port.default(4000),
  CUBE_API_SECRET: z.string().min(16, 'expected a secret of at least 16 characters').optional(),
  CUBE_TENANT_CONCURRENCY: z.coerce
    .number({ error: 'expected a number of queries' })
    .int('expected a whole number')
    .min(1, 'expected at least 1 query at a time')
    .max(64, 'expected at most 64 queries at a time')
    .default(DEFAULT_WAREHOUSE_LIMITS.tenantConcurrency),
  CUBE_STATEMENT_TIMEOUT: z.coerce
    .number({ error: 'expected a number of seconds' })
    .int('expected a whole number of seconds')
    .min(1, 'expected at least 1 second')
    .max(3600, 'expected at most 3600 seconds')
    .default(DEFAULT_WAREHOUSE_LIMITS.statementTimeoutSeconds),
  CUBE_ORPHANED_TIMEOUT: z.coerce
    .number({ error: 'expected a number of seconds' })
    .int('expected a whole number of seconds')
    .min(CUBE_LONG_POLL_SECONDS + 1, `expected more than Cube's ${CUBE_LONG_POLL_SECONDS}-second long poll`)
    .max(3600, 'expected at most 3600 seconds')
    .default(DEFAULT_WAREHOUSE_LIMITS.orphanedTimeoutSeconds),
});

export type Config = z.infer<typeof configSchema> & { dataDir: string };

export class ConfigError extends Error {
  constructor(readonly issues: string[]) {
    super(`Invalid configuration:\n${issues.map((i) => `  - ${i}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

/** The limits on one tenant's use of the warehouse, from the configuration. */
export function warehouseLimits(config: Config): WarehouseLimits {
  return {
    tenantConcurrency: config.CUBE_TENANT_CONCURRENCY,
    statementTimeoutSeconds: config.CUBE_STATEMENT_TIMEOUT,
    orphanedTimeoutSeconds: config.CUBE_ORPHANED_TIMEOUT,
  };
}

/** Reads the configuration from an environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  // Empty strings mean "unset" so that `FOO= npm start` falls back to the default.
  const input = Object.fromEntries(
    Object.keys(configSchema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]),
  );
  const parsed = configSchema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0]);
        return `${key}: got ${describe(input[key])}, ${issue.message}`;
      }),
    );
  }
  return { ...parsed.data, dataDir: path.resolve(cwd, parsed.data.DATA_DIR) };
}
