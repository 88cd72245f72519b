import path from 'node:path';
import ms from 'ms';
import { z } from 'zod';
import type { QueryLimits } from './cube/query/limits.js';
import { CUBE_LONG_POLL_SECONDS, DEFAULT_WAREHOUSE_LIMITS, type WarehouseLimits } from './cube/warehouse-limits.js';

const port = z.coerce
  .number({ error: 'expected a TCP port number' })
  .int('expected a whole number')
  .min(1, 'expected a port from 1 to 65535')
  .max(65535, 'expected a port from 1 to 65535');

const postgresUrl = z.url({ protocol: /^postgres(ql)?$/, error: 'expected a postgres:// or postgresql:// URL' });

const bound = (fallback: number) =>
  z.coerce.number({ error: 'expected a whole number' }).int('expected a whole number').min(1, 'expected at least 1').default(fallback);

/** Bounds on what one API request may ask for (see README, Security). */
export const queryLimitsSchema = z.object({
  // Day grain over ten years (3,653) passes; hour over a year, minute or second grain do not.
  QUERY_MAX_PERIODS: bound(5_000),
  // Day grain over two years (731) passes; rolling windows are computed per period (see limits.ts).
  QUERY_MAX_ROLLING_PERIODS: bound(1_000),
  QUERY_MAX_QUERIES: bound(10),
  QUERY_MAX_MEMBERS: bound(100),
  QUERY_MAX_FILTER_VALUES: bound(1_000),
  QUERY_MAX_TOTAL_FILTER_VALUES: bound(5_000),
  QUERY_MAX_FILTER_DEPTH: bound(10),
  QUERY_MAX_BODY_BYTES: bound(1_048_576),
  QUERY_MAX_URL_BYTES: bound(65_536),
});
/** A lifetime as `npm run token --expires` takes it: a whole number and a unit, e.g. 30d. */
export const LIFETIME_PATTERN = /^[1-9]\d*[smhdwy]$/;
export const lifetimeSeconds = (span: string): number => ms(span as ms.StringValue) / 1000;
export const DEFAULT_TOKEN_MAX_LIFETIME = '365d';

const lifetime = z
  .string()
  .regex(LIFETIME_PATTERN, 'expected a whole number and a unit (s, m, h, d, w, y), e.g. 365d')
  .transform((span) => ({ span, seconds: lifetimeSeconds(span) }));

const origin = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return /^https?:$/.test(url.protocol) && url.origin === value;
  } catch {
    return false;
  }
}, 'expected comma-separated origins such as https://grafana.example.com (scheme, host and port only, no path or trailing slash)');

const origins = z
  .string()
  .transform((list) =>
    list
      .split(',')
      .map((item) => item.trim())
      .filter((item) => item !== ''),
  )
  .pipe(z.array(origin));

/** Every environment variable the runtime reads, with its default. */
export const configSchema = z.object({
  ...queryLimitsSchema.shape,
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
  // Longest lifetime a token may have; npm run token mints up to this.
  TOKEN_MAX_LIFETIME: lifetime.default({ span: DEFAULT_TOKEN_MAX_LIFETIME, seconds: lifetimeSeconds(DEFAULT_TOKEN_MAX_LIFETIME) }),
  // production: CORS only for CORS_ORIGINS and no GraphiQL page; development: CORS for any origin.
  ENGAGEMENT_MODE: z.enum(['development', 'production'], { error: 'expected development or production' }).default('development'),
  CORS_ORIGINS: origins.default([]),
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
  CUBE_BUILD_TIMEOUT: z.coerce
    .number({ error: 'expected a number of seconds' })
    .int('expected a whole number of seconds')
    .min(1, 'expected at least 1 second')
    .max(86_400, 'expected at most 86400 seconds')
    .default(DEFAULT_WAREHOUSE_LIMITS.buildTimeoutSeconds),
  // A board many people watch asks the same queries many times a second; each answer is sent
  // again as it was for this long (src/cube/answer-cache.ts). 0 turns it off.
  CUBE_ANSWER_CACHE_SECONDS: z.coerce
    .number({ error: 'expected a number of seconds' })
    .int('expected a whole number of seconds')
    .min(0, 'expected 0 (off) or more seconds')
    .max(60, 'expected at most 60 seconds')
    .default(2),
  // Discounts predicted future value per month: 1% a month (12.7% a year) is lifetimes' example
  // rate and a common cost of capital for a small business.
  PREDICT_MONTHLY_DISCOUNT_RATE: z.coerce
    .number({ error: 'expected a rate such as 0.01 for 1% a month' })
    .min(0, 'expected a rate from 0 to 1')
    .max(1, 'expected a rate from 0 to 1')
    .default(0.01),
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
    buildTimeoutSeconds: config.CUBE_BUILD_TIMEOUT,
    orphanedTimeoutSeconds: config.CUBE_ORPHANED_TIMEOUT,
  };
}

function parseEnv<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv): z.infer<S> {
  // Empty strings mean "unset" so that `FOO= npm start` falls back to the default.
  const input = Object.fromEntries(Object.keys(schema.shape).map((key) => [key, env[key] === '' ? undefined : env[key]]));
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => {
        const key = String(issue.path[0]);
        return `${key}: got ${describe(input[key])}, ${issue.message}`;
      }),
    );
  }
  return parsed.data;
}

/** Reads the configuration from an environment; throws ConfigError naming each bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): Config {
  const config = parseEnv(configSchema, env);
  return { ...config, dataDir: path.resolve(cwd, config.DATA_DIR) };
}

/** The query limits of an environment (the Cube server's default when it is given none). */
export function loadQueryLimits(env: NodeJS.ProcessEnv = process.env): QueryLimits {
  const v = parseEnv(queryLimitsSchema, env);
  return {
    maxPeriods: v.QUERY_MAX_PERIODS,
    maxRollingPeriods: v.QUERY_MAX_ROLLING_PERIODS,
    maxQueries: v.QUERY_MAX_QUERIES,
    maxMembers: v.QUERY_MAX_MEMBERS,
    maxFilterValues: v.QUERY_MAX_FILTER_VALUES,
    maxTotalFilterValues: v.QUERY_MAX_TOTAL_FILTER_VALUES,
    maxFilterDepth: v.QUERY_MAX_FILTER_DEPTH,
    maxBodyBytes: v.QUERY_MAX_BODY_BYTES,
    maxUrlBytes: v.QUERY_MAX_URL_BYTES,
  };
}
